using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>A kernel larger than the padded input is refused, whatever the stride (issue 13, item 9).</summary>
[TestClass]
public sealed class Conv2dKernelFitTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void Forward_KernelLargerThanThePaddedInput_ThrowsNamingTheKernelForEveryStride(int stride)
    {
        // 4x4 input, 5x5 kernel, no padding: (4 - 5) / 2 + 1 is 1 in integer arithmetic, which passed for stride 2.
        var conv = new Conv2d(1, 1, 5, stride: stride, name: "c");
        var error = Assert.ThrowsExactly<ArgumentException>(() => conv.Forward(new FloatTensor(1, 1, 4, 4), training: false));
        StringAssert.Contains(error.Message, "5x5 kernel does not fit the 4x4 input");
        Assert.ThrowsExactly<ArgumentException>(() => conv.GetOutputShape([[1, 4, 4]]));
    }

    [TestMethod]
    public void Forward_KernelThatFitsOnlyWithPadding_GivesTheSizePyTorchGives()
    {
        // PyTorch: floor((4 + 2·1 − 5) / 2) + 1 = 1 for a 4x4 input, 5x5 kernel, stride 2, padding 1.
        var conv = new Conv2d(1, 1, 5, stride: 2, padding: 1, name: "c");
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 1 }, conv.Forward(new FloatTensor(1, 1, 4, 4), training: false).Shape);
    }
}
