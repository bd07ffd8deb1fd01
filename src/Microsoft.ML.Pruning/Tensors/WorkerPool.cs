namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// A small persistent fork-join pool of dedicated threads. <see cref="Run"/> hands part <c>i</c> of a static split
/// to worker <c>i</c> (the calling thread runs part 0) and returns when all parts are done.
/// </summary>
/// <remarks>
/// Dedicated threads, not <see cref="Parallel.For(int, int, Action{int})"/>: with the thread pool the calling thread
/// often runs every part itself and 2-thread speed-ups swing between 1x and 2x. Calls made from inside a part,
/// or while another thread is using the pool, run their parts inline, so results never depend on scheduling.
/// </remarks>
internal static class WorkerPool
{
    private const int SpinIterations = 2000;
    private static readonly object Gate = new();
    private static Worker[] _workers = [];

    [ThreadStatic]
    private static bool _insidePart;

    private static Action<int>? _body;
    private static int _pending;

    // One flag per part: whoever sets it first (its worker, or the caller once it is done with part 0) runs the part.
    private static int[] _claimed = [];
    private static Exception? _failure;

    /// <summary>Gets the number of parts a kernel should split its work into.</summary>
    public static int Parts => _insidePart ? 1 : ComputeSettings.DegreeOfParallelism;

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, <paramref name="count"/>), the indices split into contiguous
    /// ranges, one per part, of at least <paramref name="perPart"/> indices where there are enough of them.
    /// </summary>
    /// <param name="count">The number of indices.</param>
    /// <param name="body">The work of one index.</param>
    /// <param name="perPart">The fewest indices worth a part of their own.</param>
    public static void ForEach(int count, Action<int> body, int perPart = 1)
    {
        int parts = Math.Min(Parts, Math.Max(1, count / perPart));
        Run(parts, part =>
        {
            int end = (int)((long)count * (part + 1) / parts);
            for (int i = (int)((long)count * part / parts); i < end; i++)
            {
                body(i);
            }
        });
    }

    /// <summary>Runs <paramref name="body"/> for every part in [0, <paramref name="parts"/>) and waits for all of them.</summary>
    /// <param name="parts">The number of parts, each run on its own thread; kernels pass <see cref="Parts"/>.</param>
    /// <param name="body">The work of one part, given the part index.</param>
    public static void Run(int parts, Action<int> body)
    {
        if (parts <= 1 || _insidePart || !Monitor.TryEnter(Gate))
        {
            RunInline(parts, body);
            return;
        }

        try
        {
            EnsureWorkers(parts - 1);
            if (_claimed.Length < parts)
            {
                _claimed = Enumerable.Repeat(1, parts).ToArray();
            }

            // The body and count are published before the claims reopen: a worker still waking from the previous
            // call can claim a part only after the clear, and then sees this call's body.
            _body = body;
            _failure = null;
            Volatile.Write(ref _pending, parts - 1);
            for (int i = 0; i < parts; i++)
            {
                Volatile.Write(ref _claimed[i], 0);
            }
            for (int i = 1; i < parts; i++)
            {
                _workers[i - 1].Start(i);
            }

            RunPart(0, body);

            // A descheduled worker must not stall the kernel: the caller runs every part not yet started.
            // Parts are fixed in advance, so results do not depend on who runs them.
            for (int i = 1; i < parts; i++)
            {
                TryRunClaimed(i, body);
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            _body = null;
            if (_failure is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void RunInline(int parts, Action<int> body)
    {
        bool wasInside = _insidePart;
        _insidePart = true;
        try
        {
            for (int i = 0; i < parts; i++)
            {
                body(i);
            }
        }
        finally
        {
            _insidePart = wasInside;
        }
    }

    private static void RunPart(int part, Action<int> body)
    {
        _insidePart = true;
        try
        {
            body(part);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
        finally
        {
            _insidePart = false;
        }
    }

    private static void TryRunClaimed(int part, Action<int>? body)
    {
        if (Interlocked.Exchange(ref _claimed[part], 1) == 0)
        {
            RunPart(part, body ?? Volatile.Read(ref _body)!);
            Interlocked.Decrement(ref _pending);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }

        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (int i = _workers.Length; i < count; i++)
        {
            workers[i] = new Worker(i + 1);
        }

        _workers = workers;
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _signal = new(0);
        private int _part;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Pruning worker {index}" };
            thread.Start();
        }

        public void Start(int part)
        {
            _part = part;
            _signal.Release();
        }

        private void Loop()
        {
            while (true)
            {
                if (!SpinWaitForSignal())
                {
                    _signal.Wait();
                }

                TryRunClaimed(_part, null);
            }
        }

        private bool SpinWaitForSignal()
        {
            for (int i = 0; i < SpinIterations; i++)
            {
                if (_signal.Wait(0))
                {
                    return true;
                }

                Thread.SpinWait(20);
            }

            return false;
        }
    }
}
