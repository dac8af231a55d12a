// The Node.js client of ThirdPartyClientsTest: kafkajs as its README shows it (a producer, then a consumer group
// reading committed records only). It sends the readings of READINGS (one "key<TAB>value" per line, an empty key
// sent as none) to sensor-readings, then reads sensor-forecasts, streamcast-accuracy and streamcast-dlq from the
// beginning and keeps the records whose key or value holds PREFIX, until it has the expected number of each (and a
// second more, so that a surplus shows), writing them to OUT as JSON lines {topic, key, value, headers}.
// usage: node kafkajs-client.js BOOTSTRAP PREFIX READINGS OUT FORECASTS ACCURACY DEAD_LETTERS TIMEOUT_S
// kafkajs comes from src/test/node (npm ci there); the test sets NODE_PATH to its node_modules.
const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, prefix, readingsFile, outFile, ...rest] = process.argv.slice(2)
const [forecasts, accuracy, deadLetters, timeoutS] = rest.map(Number)
const expected = { 'sensor-forecasts': forecasts, 'streamcast-accuracy': accuracy, 'streamcast-dlq': deadLetters }

const kafka = new Kafka({ clientId: 'streamcast-client-test', brokers: [bootstrap], logLevel: logLevel.ERROR })

async function main() {
  const producer = kafka.producer()
  await producer.connect()
  const messages = fs.readFileSync(readingsFile, 'utf8').split('\n').filter(l => l.length > 0).map(line => {
    const tab = line.indexOf('\t')
    const key = line.substring(0, tab)
    return { key: key.length > 0 ? key : null, value: line.substring(tab + 1) }
  })
  await producer.send({ topic: 'sensor-readings', messages })
  await producer.disconnect()

  // readUncommitted: false (kafkajs's default) is isolation.level=read_committed.
  const consumer = kafka.consumer({ groupId: `${prefix}-${Date.now()}`, readUncommitted: false })
  await consumer.connect()
  await consumer.subscribe({ topics: Object.keys(expected), fromBeginning: true })
  const kept = []
  const counts = Object.fromEntries(Object.keys(expected).map(t => [t, 0]))
  let complete
  const done = new Promise(resolve => { complete = resolve })
  // A consumer that crashes (a batch it cannot decode, for one) ends the wait at once, not at the timeout.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    console.error(`kafkajs client: the consumer crashed: ${payload.error}`)
    complete(false)
  })
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const key = message.key === null ? null : message.key.toString()
      const value = message.value === null ? null : message.value.toString()
      if (!((key !== null && key.includes(prefix)) || (value !== null && value.includes(prefix)))) {
        return
      }
      const headers = {}
      for (const [name, header] of Object.entries(message.headers || {})) {
        headers[name] = header === undefined || header === null ? null : header.toString()
      }
      kept.push({ topic, key, value, headers })
      counts[topic]++
      if (Object.keys(expected).every(t => counts[t] >= expected[t])) {
        complete(true)
      }
    },
  })
  let timer
  const timeout = new Promise(resolve => { timer = setTimeout(() => resolve(false), timeoutS * 1000) })
  const enough = await Promise.race([done, timeout])
  clearTimeout(timer)
  if (enough) {
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  await consumer.disconnect()
  fs.writeFileSync(outFile, kept.map(r => JSON.stringify(r) + '\n').join(''))
  if (!enough) {
    console.error(`kafkajs client: stopped or timed out after ${timeoutS} s at most, with ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`)
    process.exit(1)
  }
}

main().catch(e => {
  console.error(`kafkajs client: ${e.stack || e}`)
  process.exit(1)
})
