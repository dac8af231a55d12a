package dev.streamcast.nn;

/**
 * The matrix products of {@link Gru} and {@link SimpleRnn}, on row-major arrays with column blocks, so that a gate's
 * block of a weight matrix is used in place. Each sum runs over its inner index in increasing order and starts from
 * what the output held, so a sample's numbers do not depend on the batch it came in.
 */
final class RecurrentProducts {

    private RecurrentProducts() {
    }

    /**
     * c[r, cFrom + j] += sum_k a[r, k] w[k, wFrom + j], for r &lt; rows, j &lt; cols, k &lt; inner.
     *
     * @param a     [rows, inner]
     * @param w     [inner, wCols]
     * @param c     [rows, cCols]
     */
    static void multAdd(double[] a, int rows, int inner, double[] w, int wCols, int wFrom, int cols, double[] c,
                        int cCols, int cFrom) {
        for (int r = 0; r < rows; r++) {
            int aRow = r * inner;
            int cRow = r * cCols + cFrom;
            for (int k = 0; k < inner; k++) {
                double v = a[aRow + k];
                int wRow = k * wCols + wFrom;
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] += v * w[wRow + j];
                }
            }
        }
    }

    /**
     * dW[k, wFrom + j] += sum_r a[r, k] d[r, dFrom + j]: a weight block's gradient, a^T d.
     *
     * @param a     [rows, inner]
     * @param d     [rows, dCols]
     * @param dw    [inner, wCols]
     */
    static void multAddTransA(double[] a, int rows, int inner, double[] d, int dCols, int dFrom, int cols,
                              double[] dw, int wCols, int wFrom) {
        for (int r = 0; r < rows; r++) {
            int aRow = r * inner;
            int dRow = r * dCols + dFrom;
            for (int k = 0; k < inner; k++) {
                double v = a[aRow + k];
                int wRow = k * wCols + wFrom;
                for (int j = 0; j < cols; j++) {
                    dw[wRow + j] += v * d[dRow + j];
                }
            }
        }
    }

    /**
     * g[r, k] += sum_j d[r, dFrom + j] w[k, wFrom + j]: what flows back through a weight block, d w^T.
     *
     * @param d     [rows, dCols]
     * @param w     [inner, wCols]
     * @param g     [rows, inner]
     */
    static void multAddTransB(double[] d, int rows, int dCols, int dFrom, int cols, double[] w, int wCols,
                              int wFrom, int inner, double[] g) {
        for (int r = 0; r < rows; r++) {
            int dRow = r * dCols + dFrom;
            for (int k = 0; k < inner; k++) {
                int wRow = k * wCols + wFrom;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += d[dRow + j] * w[wRow + j];
                }
                g[r * inner + k] += sum;
            }
        }
    }

    /** b[bFrom + j] += sum_r d[r, j]: a bias's gradient. */
    static void addColumnSumsOfRows(double[] d, int rows, int cols, double[] b, int bFrom) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                b[bFrom + j] += d[r * cols + j];
            }
        }
    }

    /** x_t [rows, features]: the columns t*F .. t*F+F-1 of the time-major input [rows, T*F]. */
    static void stepOf(double[] input, int rows, int timesteps, int features, int t, double[] xt) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(input, r * timesteps * features + t * features, xt, r * features, features);
        }
    }

    /** Writes [rows, width] into the columns t*width .. of the time-major [rows, T*width] (a sequence's step t). */
    static void setStep(double[] step, int rows, int timesteps, int width, int t, double[] sequence) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(step, r * width, sequence, r * timesteps * width + t * width, width);
        }
    }

    /** Adds step t of the time-major [rows, T*width] into [rows, width]. */
    static void addStep(double[] sequence, int rows, int timesteps, int width, int t, double[] step) {
        for (int r = 0; r < rows; r++) {
            int from = r * timesteps * width + t * width;
            for (int k = 0; k < width; k++) {
                step[r * width + k] += sequence[from + k];
            }
        }
    }
}
