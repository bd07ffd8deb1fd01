using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>ONNX Runtime's <see cref="InferenceSession"/> on the exported network: 1 intra-op thread, or default options.</summary>
internal sealed class OrtRuntime : Runtime
{
    private readonly InferenceSession _session;
    private readonly NamedOnnxValue[] _inputs;
    private readonly int _batch;
    private string _name;

    public OrtRuntime(string modelPath, CnnData data, bool singleThread)
    {
        var options = singleThread ? new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 } : new SessionOptions();
        _session = new InferenceSession(modelPath, options);
        var input = new DenseTensor<float>(data.Input.Span.ToArray(), data.Input.Shape);
        _inputs = [NamedOnnxValue.CreateFromTensor(_session.InputMetadata.Keys.First(), input)];
        _batch = data.Batch;
        _name = singleThread ? "ORT 1 thread" : "ORT default";
    }

    public override string Name => _name;

    public override int ImagesPerStep => _batch;

    /// <summary>Gives the runtime another column name (the pruned model's session).</summary>
    public void Rename(string name) => _name = name;

    protected override void Step()
    {
        using var results = _session.Run(_inputs);
    }

    public override void Dispose() => _session.Dispose();
}

/// <summary>
/// Debian's PyTorch 1.13 in its own process (bench/cnn_torch.py), driven line by line so that its rounds alternate with
/// the in-process runtimes'. It times itself: thread CPU time at 1 thread, process CPU time above.
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    private readonly Process _process;

    private PythonPeer(Process process) => _process = process;

    /// <summary>Starts the peer, or returns <see langword="null"/> (with the reason printed) when it cannot run here.</summary>
    public static PythonPeer? Start(string script, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            Console.WriteLine($"PyTorch peer skipped: /usr/bin/python3 or {script} is missing.");
            return null;
        }

        var info = new ProcessStartInfo("/usr/bin/python3", [script]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new PythonPeer(Process.Start(info)!);
    }

    /// <summary>Sends one request and returns the reply; throws with the peer's message on an error.</summary>
    public JsonObject Call(object request)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch peer exited.");
        var reply = JsonNode.Parse(line)!.AsObject();
        if (reply["error"] is { } error)
        {
            throw new InvalidOperationException($"PyTorch peer: {error}");
        }

        return reply;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("{\"cmd\": \"quit\"}");
            _process.StandardInput.Flush();
            _process.WaitForExit(5000);
        }
        catch (IOException)
        {
        }

        _process.Dispose();
    }
}

/// <summary>One cell of the PyTorch peer.</summary>
internal sealed class PythonRuntime : Runtime
{
    private readonly PythonPeer _peer;
    private readonly int _batch;

    public PythonRuntime(PythonPeer peer, string task, string model, int size, int batch, int threads)
    {
        _peer = peer;
        _batch = batch;
        Threads = threads;
        peer.Call(new { cmd = "setup", task, model, size, batch, threads });
    }

    public override string Name => "PyTorch 1.13";

    public override int ImagesPerStep => _batch;

    public override Sample Round(int steps)
    {
        var reply = _peer.Call(new { cmd = "round", steps });
        return new Sample((double)reply["wall"]!, (double)reply["cpu"]!, steps * _batch);
    }

    protected override void Step() => throw new NotSupportedException("The peer times whole rounds.");
}
