using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// Saving needs ONNX Runtime's native library (the saved stage is an OnnxTransformer chain); when it does not load, the
/// error names the package to add. The failure is recognised as .NET and ONNX Runtime raise it.
/// </summary>
[TestClass]
public sealed class SaveLoadNativeRuntimeTests
{
    [TestMethod]
    public void NativeRuntimeMissing_IsRecognisedAsOnnxRuntimeRaisesIt()
    {
        // What `ml.Model.Save` threw in an app without the native package: the managed binding's static constructor
        // fails to load the shared library, and ML.NET wraps that.
        var dll = new DllNotFoundException("Unable to load shared library 'onnxruntime' or one of its dependencies.");
        var typeInit = new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods", dll);
        Assert.IsTrue(SavedChain.IsNativeRuntimeMissing(new InvalidOperationException("Error initializing model", typeInit)));
        Assert.IsTrue(SavedChain.IsNativeRuntimeMissing(dll));
        Assert.IsTrue(SavedChain.IsNativeRuntimeMissing(new EntryPointNotFoundException("OrtGetApiBase")));
    }

    [TestMethod]
    public void OtherFailures_AreNotTakenForAMissingNativeRuntime()
    {
        Assert.IsFalse(SavedChain.IsNativeRuntimeMissing(new InvalidOperationException("ModelSignature not specified!")));
        Assert.IsFalse(SavedChain.IsNativeRuntimeMissing(new TypeInitializationException("Some.Other.Type", new FormatException())));
        Assert.IsFalse(SavedChain.IsNativeRuntimeMissing(new IOException("disk full")));
    }
}
