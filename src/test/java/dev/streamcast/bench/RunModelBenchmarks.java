package dev.streamcast.bench;

import java.nio.file.Path;

/**
 * Runs the model benchmarks from the test class path, printing JMH's progress and the table:
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.streamcast.bench.RunModelBenchmarks [--quick]
 * [--json FILE]}. The product's way is {@code streamcast bench model}; this is for working on the engine.
 */
public final class RunModelBenchmarks {

    private RunModelBenchmarks() {
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
                throw new IllegalArgumentException("usage: RunModelBenchmarks [--quick] [--json FILE], got " + args[k]);
            }
        }
        ModelBenchmarkResult result = ModelBenchmarkRunner.run(quick, System.out);
        System.out.println();
        System.out.print(ModelBenchmarkRunner.formatTable(result));
        if (json != null) {
            ModelBenchmarkRunner.writeJson(result, json);
        }
    }
}
