using System.Numerics.Tensors;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Element-wise candidates side by side, 1 thread: the scalar loops the layers had, this engine's vectorized kernels
/// (<see cref="ActivationKernels"/>, <see cref="VectorOps"/>) and System.Numerics.Tensors' TensorPrimitives, on a tensor
/// that stays in L2 (64 Ki values) and one that does not (3 Mi values, mobilenet_v2's largest activation at batch 32).
/// </summary>
internal static class ElementwiseKernels
{
    public static void Run(int iterations)
    {
        var clip = new Microsoft.ML.Pruning.Networks.Clip(0, 6);
        var small = new FloatTensor(1, 32, 32, 32);
        small.Fill(3f);
        Console.WriteLine($"Clip layer on [1, 32, 32, 32]: {KernelBenchmark.Time(() => clip.Forward(small, training: false), iterations):F1} µs; kernel alone {KernelBenchmark.Time(() => ActivationKernels.Clip(small.Span, small.Span, 0, 6), iterations):F1} µs");
        var dw = new Microsoft.ML.Pruning.Networks.Conv2d(32, 32, 3, 1, 1, groups: 32);
        dw.ResetParameters(new Random(1));
        var dwInput = new FloatTensor(1, 32, 32, 32);
        dwInput.Fill(0.5f);
        Console.WriteLine($"depthwise layer 32x32x32 at batch 1: {KernelBenchmark.Time(() => dw.Forward(dwInput, training: false), iterations):F1} µs; wall {Wall(() => dw.Forward(dwInput, training: false), iterations):F1} µs");
        Console.WriteLine($"element-wise, ns per 1,000 values (System.Numerics.Tensors {typeof(TensorPrimitives).Assembly.GetName().Version})");
        foreach (int length in new[] { 1 << 16, 3 << 20 })
        {
            var x = new float[length];
            var dy = new float[length];
            var y = new float[length];
            var random = new Random(1);
            for (int i = 0; i < length; i++)
            {
                x[i] = (random.NextSingle() * 16) - 8;
                dy[i] = random.NextSingle();
            }

            int n = length >= 1 << 20 ? Math.Max(5, iterations / 20) : iterations;
            string Rate(Action action) => $"{KernelBenchmark.Time(action, n) * 1e6 / length,7:F0}";
            Console.WriteLine($"  {length:N0} values:");
            Console.WriteLine($"    ReLU6     scalar loop {Rate(() => ScalarClip(x, y, 0, 6))}  ours {Rate(() => ActivationKernels.Clip(x, y, 0, 6))}  TensorPrimitives Max+Min {Rate(() => { TensorPrimitives.Max(x, 0f, y); TensorPrimitives.Min(y, 6f, y); })}");
            Console.WriteLine($"    ReLU6'    scalar loop {Rate(() => ScalarClipBackward(x, dy, y, 0, 6))}  ours {Rate(() => ActivationKernels.ClipBackward(x, dy, y, 0, 6))}");
            Console.WriteLine($"    ReLU      ours (Vector<T>) {Rate(() => VectorOps.Relu(x, y))}  TensorPrimitives Max {Rate(() => TensorPrimitives.Max(x, 0f, y))}");
            Console.WriteLine($"    HardSwish scalar loop {Rate(() => ScalarHardSwish(x, y))}  ours {Rate(() => ActivationKernels.HardSwish(x, y))}");
            Console.WriteLine($"    Sigmoid   scalar loop {Rate(() => ScalarSigmoid(x, y))}  TensorPrimitives {Rate(() => TensorPrimitives.Sigmoid(x, y))}");
            Console.WriteLine($"    SiLU      scalar loop {Rate(() => ScalarSilu(x, y))}  ours (TensorPrimitives.Sigmoid in 1 Ki chunks) {Rate(() => ActivationKernels.Silu(x, y))}  TensorPrimitives whole-span Sigmoid+Multiply {Rate(() => { TensorPrimitives.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); })}");
            Console.WriteLine($"    SiLU'     scalar loop {Rate(() => ScalarSiluBackward(x, dy, y))}  ours {Rate(() => ActivationKernels.SiluBackward(x, dy, y))}");
            Console.WriteLine($"    add       ours (Vector<T>) {Rate(() => VectorOps.Add(y, x))}  TensorPrimitives {Rate(() => TensorPrimitives.Add(y, x, y))}");
            Console.WriteLine($"    sum       ours (double, scalar) {Rate(() => VectorOps.Sum(x))}  ours (RowKernels) {Rate(() => RowKernels.Sum(x, RowKernels.Width))}  TensorPrimitives {Rate(() => TensorPrimitives.Sum(x))}");
        }
    }

    private static double Wall(Action action, int iterations)
    {
        double best = double.MaxValue;
        for (int i = 0; i < iterations; i++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return best;
    }

    private static void ScalarClip(float[] x, float[] y, float low, float high)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v < low ? low : v > high ? high : v;
        }
    }

    private static void ScalarClipBackward(float[] x, float[] dy, float[] dx, float low, float high)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            dx[i] = v > low && v < high ? dy[i] : 0f;
        }
    }

    private static void ScalarHardSwish(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v * Math.Clamp((v / 6f) + 0.5f, 0f, 1f);
        }
    }

    private static void ScalarSigmoid(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    private static void ScalarSilu(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] / (1f + MathF.Exp(-x[i]));
        }
    }

    private static void ScalarSiluBackward(float[] x, float[] dy, float[] dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-x[i]));
            dx[i] = dy[i] * s * (1f + (x[i] * (1f - s)));
        }
    }
}
