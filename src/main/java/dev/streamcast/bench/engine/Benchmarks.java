package dev.streamcast.bench.engine;

import dev.streamcast.model.EpochListener;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.Trainer;
import dev.streamcast.model.TrainingHistory;
import dev.streamcast.model.TrainingOptions;
import dev.streamcast.model.TrainingSet;
import dev.streamcast.nn.Adam;
import dev.streamcast.nn.MeanSquaredError;
import dev.streamcast.nn.Sequential;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks of the LSTM engine, one thread, on the seed model (relu) or on the model document
 * {@link BenchedModel} names (its own window of T x F values). {@link BenchmarkRunner} runs them from the jar; the
 * iteration counts live there.
 *
 * <ul>
 *   <li>{@code forecastOne}: {@link Forecaster#forecast(double[])} of one window, microseconds per call.</li>
 *   <li>{@code forecastBatch1024}: {@link Forecaster#forecastBatch} of 1,024 windows (one per sensor), reported
 *       per window ({@link OperationsPerInvocation}); for a model fed several features per step, which the
 *       forecaster does not batch, the network's forward pass over 1,024 rows.</li>
 *   <li>{@code trainStepBatch1}: one Adam step at batch size 1: zero the gradients, forward, loss gradient,
 *       backward, update; on the seed's four samples, or on four random rows of another model's input.</li>
 *   <li>{@code seedFit} (the seed only): the seed's whole fit, 100 epochs at batch size 1 without shuffling,
 *       from the same initial weights each time; milliseconds.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Benchmarks {

    /** Windows per batch: one per sensor of a 1,024-sensor deployment. */
    public static final int BATCH = 1024;

    /** Seeds Keras's initialisation of the benchmarked model and the random windows. */
    static final long SEED = 42L;

    /** Samples a training step cycles through, as the seed's four windows. */
    static final int SAMPLES = 4;

    /** A forecaster of the benchmarked model and its inputs: random readings in [0, 10). */
    @State(Scope.Thread)
    public static class ForecastState {
        Forecaster forecaster;
        double[] window;
        double[] windows;
        final double[] forecasts = new double[BATCH];
        /** The rows of a model fed several features per step, already scaled: the network's own input. */
        DMatrixRMaj rows;

        @Setup(Level.Trial)
        public void setUp() {
            forecaster = BenchedModel.forecaster(SEED);
            SplittableRandom random = new SplittableRandom(SEED);
            window = new double[forecaster.rowSize()];
            randomWindows(random, window);
            windows = new double[BATCH * forecaster.rowSize()];
            randomWindows(random, windows);
            if (!forecaster.features().isValueOnly()) {
                rows = new DMatrixRMaj(BATCH, forecaster.network().inputSize());
                randomWindows(random, rows.data);
            }
        }
    }

    /** A copy of the benchmarked network, its optimizer and four samples. */
    @State(Scope.Thread)
    public static class TrainState {
        Sequential initial;
        Sequential network;
        Adam adam;
        /** The samples' rows end to end, and their targets. */
        double[] inputs;
        double[] targets;
        DMatrixRMaj x;
        final DMatrixRMaj y = new DMatrixRMaj(1, 1);
        final DMatrixRMaj gradient = new DMatrixRMaj(1, 1);
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            initial = BenchedModel.forecaster(SEED).network();
            network = initial.copy();
            int width = initial.inputSize();
            x = new DMatrixRMaj(1, width);
            if (BenchedModel.isSeed()) {
                TrainingSet samples = SeedModel.trainingSet();
                inputs = Arrays.copyOf(samples.inputs(), samples.size() * width);
                targets = Arrays.copyOf(samples.targets(), samples.size());
            } else {
                SplittableRandom random = new SplittableRandom(SEED);
                inputs = new double[SAMPLES * width];
                targets = new double[SAMPLES];
                randomWindows(random, inputs);
                randomWindows(random, targets);
            }
        }

        /** Each iteration starts from the initial weights and a fresh optimizer, so iterations time the same work. */
        @Setup(Level.Iteration)
        public void resetWeights() {
            network.setWeights(initial);
            adam = new Adam(network.parameters(), TrainingOptions.DEFAULTS.learningRate());
            next = 0;
        }
    }

    /** The seed network's initial weights and its data. */
    @State(Scope.Thread)
    public static class FitState {
        Sequential initial;
        Sequential network;
        TrainingSet train;
        final TrainingSet validation = new TrainingSet(SeedModel.WINDOW_LENGTH);
        final TrainingOptions options = TrainingOptions.DEFAULTS.withShuffle(false);

        @Setup(Level.Trial)
        public void setUp() {
            initial = SeedModel.forecaster(SEED).network();
            network = initial.copy();
            train = SeedModel.trainingSet();
        }
    }

    /** Fills {@code windows} with readings in [0, 10). */
    static void randomWindows(SplittableRandom random, double[] windows) {
        for (int k = 0; k < windows.length; k++) {
            windows[k] = 10.0 * random.nextDouble();
        }
    }

    @Benchmark
    public double forecastOne(ForecastState s) {
        return s.forecaster.forecast(s.window);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] forecastBatch1024(ForecastState s) {
        if (s.rows != null) {
            return s.forecaster.network().forward(s.rows).data;
        }
        s.forecaster.forecastBatch(s.windows, BATCH, s.forecasts);
        return s.forecasts;
    }

    @Benchmark
    public double trainStepBatch1(TrainState s) {
        int sample = s.next;
        s.next = sample + 1 == s.targets.length ? 0 : sample + 1;
        int width = s.x.numCols;
        System.arraycopy(s.inputs, sample * width, s.x.data, 0, width);
        s.y.data[0] = s.targets[sample];
        Sequential network = s.network;
        network.zeroGradients();
        double loss = MeanSquaredError.lossAndGradient(network.forward(s.x), s.y, s.gradient);
        network.backward(s.gradient);
        s.adam.step();
        return loss;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TrainingHistory seedFit(FitState s) {
        s.network.setWeights(s.initial);
        return Trainer.fit(s.network, s.train, s.validation, s.options, EpochListener.NONE);
    }
}
