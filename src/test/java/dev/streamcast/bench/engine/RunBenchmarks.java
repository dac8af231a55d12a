package dev.streamcast.bench.engine;

import java.nio.file.Path;

/**
 * Runs the model benchmarks from the test class path, printing JMH's progress and the table:
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.streamcast.bench.engine.RunBenchmarks [--quick]
 * [--json FILE]}. The product's way is {@code streamcast bench model}; this is for working on the engine.
 */
public final class RunBenchmarks {

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path json = null;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--quick")) {
                quick = true;
            } else if (args[k].equals("--json") && k + 1 < args.length) {
                json = Path.of(args[++k]);
            } else {
                throw new IllegalArgumentException("usage: RunBenchmarks [--quick] [--json FILE], got " + args[k]);
            }
        }
        BenchmarkResult result = BenchmarkRunner.run(quick, System.out);
        System.out.println();
        System.out.print(BenchmarkRunner.formatTable(result));
        if (json != null) {
            BenchmarkRunner.writeJson(result, json);
        }
    }
}
