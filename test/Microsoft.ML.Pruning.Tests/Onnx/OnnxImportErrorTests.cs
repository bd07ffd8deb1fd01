using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Onnx.TestModels;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>What cannot be imported fails with an <see cref="OnnxImportException"/> naming the source, node, operator and reason.</summary>
[TestClass]
public sealed class OnnxImportErrorTests
{
    /// <summary>An operator the importer does not know is named in the error with its node.</summary>
    [TestMethod]
    public void Load_UnsupportedOperator_NamesNodeOperatorAndReason()
    {
        var model = TestModels.Model([4], [Node("Erf", ["x"], "y")]);

        var error = Load(model, "erf.onnx");

        Assert.AreEqual("erf.onnx", error.SourceName);
        Assert.AreEqual("erf_node", error.NodeName);
        Assert.AreEqual("Erf", error.OperatorType);
        Assert.AreEqual(13, error.OperatorSetVersion);
        StringAssert.Contains(error.Reason, "not supported");
        StringAssert.Contains(error.Message, "node 'erf_node' (Erf, opset 13): operator 'Erf' is not supported");
        StringAssert.Contains(error.Message, "erf_node");
    }

    /// <summary>
    /// Issue 19 item 19: a NaN weight fails, through <see cref="OnnxModel.Load(string)"/> and <c>LoadOnnxModel</c>, with
    /// an <see cref="OnnxImportException"/> naming the file, the node and the value, as every other import error does.
    /// </summary>
    [TestMethod]
    public void LoadOnnxModel_NaNWeight_FailsWithOnnxImportExceptionNamingTheFileAndNode()
    {
        using var folder = new TempDirectory();
        string path = folder.File("nan.onnx");
        File.WriteAllBytes(path, TestModels.Model([2], [Node("MatMul", ["x", "w"], "y")], [Floats("w", [2, 2], 1f, float.NaN, 0f, 1f)]).ToByteArray());

        var direct = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(path));
        var staged = Assert.ThrowsException<OnnxImportException>(() => new MLContext(seed: 1).Pruning().LoadOnnxModel(path));

        foreach (var error in new[] { direct, staged })
        {
            Assert.AreEqual(path, error.SourceName);
            Assert.AreEqual("matmul_node", error.NodeName);
            Assert.AreEqual("MatMul", error.OperatorType);
            StringAssert.Contains(error.Reason, "NaN");
        }
    }

    /// <summary>A dynamic dimension other than the batch is rejected: the network needs static shapes.</summary>
    [TestMethod]
    public void Load_DynamicNonBatchDimension_IsRejected()
    {
        var model = TestModels.Model([4], [Node("Relu", ["x"], "y")]);
        model.Graph.Input[0] = Value("x", ["batch", "features"]);

        var error = Load(model);

        StringAssert.Contains(error.Reason, "dynamic ('features')");
    }

    /// <summary>A weight that is neither an initializer nor a node output is reported as missing.</summary>
    [TestMethod]
    public void Load_MissingInitializer_NamesTheInput()
    {
        var model = TestModels.Model([4], [Node("Gemm", ["x", "w"], "y", Int("transB", 1))]);

        var error = Load(model);

        Assert.AreEqual("Gemm", error.OperatorType);
        StringAssert.Contains(error.Reason, "'w'");
        StringAssert.Contains(error.Reason, "missing initializer");
    }

    /// <summary>A weight of another element type than float32 is rejected, naming the type.</summary>
    [TestMethod]
    public void Load_DoubleWeight_IsRejectedAsWrongTensorType()
    {
        var weight = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Double };
        weight.Dims.AddRange([2, 4]);
        weight.DoubleData.AddRange(new double[8]);
        var model = TestModels.Model([4], [Node("Gemm", ["x", "w"], "y", Int("transB", 1))], [weight]);

        var error = Load(model);

        Assert.AreEqual("gemm_node", error.NodeName);
        StringAssert.Contains(error.Reason, "DOUBLE");
    }

    /// <summary>A tensor that declares far more elements than it holds is rejected before anything is allocated.</summary>
    [TestMethod]
    public void Load_HugeDeclaredTensor_IsRejectedWithoutAllocating()
    {
        var huge = new TensorProto { Name = "w", DataType = 1, RawData = ByteString.CopyFrom(new byte[16]) };
        huge.Dims.AddRange([1L << 40, 4]);
        var model = TestModels.Model([4], [Node("Gemm", ["x", "w"], "y", Int("transB", 1))], [huge]);

        var error = Load(model);

        StringAssert.Contains(error.Reason, "declares");
    }

    /// <summary>A declared size that does not match the raw bytes is rejected.</summary>
    [TestMethod]
    public void Load_RawDataOfWrongLength_IsRejected()
    {
        var weight = new TensorProto { Name = "w", DataType = 1, RawData = ByteString.CopyFrom(new byte[12]) };
        weight.Dims.AddRange([2, 4]);
        var model = TestModels.Model([4], [Node("Gemm", ["x", "w"], "y", Int("transB", 1))], [weight]);

        StringAssert.Contains(Load(model).Reason, "raw_data holds 12 bytes");
    }

    /// <summary>Bytes that are not a protobuf fail with the file path in the error.</summary>
    [TestMethod]
    public void Load_GarbageFile_WrapsTheParseErrorWithThePath()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "garbage.onnx");
        File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x01]);

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(path));

        Assert.AreEqual(path, error.SourceName);
        Assert.IsNull(error.NodeName);
        StringAssert.Contains(error.Message, path);
        Assert.IsInstanceOfType<InvalidProtocolBufferException>(error.InnerException);
    }

    /// <summary>An IR version or operator set outside the supported ranges is rejected.</summary>
    /// <param name="irVersion">The IR version.</param>
    /// <param name="opset">The default operator set version.</param>
    [TestMethod]
    [DataRow(2L, 13)]
    [DataRow(11L, 13)]
    [DataRow(8L, 0)]
    [DataRow(8L, 22)]
    public void Load_UnsupportedVersions_AreRejected(long irVersion, int opset)
    {
        var model = TestModels.Model([4], [Node("Relu", ["x"], "y")], opset: opset);
        model.IrVersion = irVersion;

        StringAssert.Contains(Load(model).Reason, "not supported");
    }

    /// <summary>Dilated pooling is rejected, naming the attribute (dilated convolutions import).</summary>
    [TestMethod]
    public void Load_DilatedMaxPool_IsRejected()
    {
        var model = TestModels.Model([1, 8, 8], [Node("MaxPool", ["x"], "y", Ints("kernel_shape", 2, 2), Ints("dilations", 2, 2))]);

        var error = Load(model);

        Assert.AreEqual("MaxPool", error.OperatorType);
        StringAssert.Contains(error.Reason, "dilations");
    }

    /// <summary>A Reshape that does not flatten to [batch, features] is rejected.</summary>
    [TestMethod]
    public void Load_NonFlatteningReshape_IsRejected()
    {
        var shape = new TensorProto { Name = "s", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(3);
        shape.Int64Data.AddRange([0, 2, 6]);
        var model = TestModels.Model([3, 4], [Node("Reshape", ["x", "s"], "y")], [shape]);

        StringAssert.Contains(Load(model).Reason, "only reshapes to [batch, features]");
    }

    /// <summary>Gemm's transA, which would transpose the batch, is rejected.</summary>
    [TestMethod]
    public void Load_GemmWithTransA_IsRejected()
    {
        var model = TestModels.Model([4], [Node("Gemm", ["x", "w"], "y", Int("transA", 1))], [Floats("w", [4, 2], new float[8])]);

        StringAssert.Contains(Load(model).Reason, "transA");
    }

    private static OnnxImportException Load(ModelProto model, string? source = null) =>
        Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(model), source));

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
