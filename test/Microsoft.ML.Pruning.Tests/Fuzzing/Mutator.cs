using System.Text;

namespace Microsoft.ML.Pruning.Tests.Fuzzing;

/// <summary>Seeded mutations of a valid input: byte flips, insertions of interesting bytes, deletions, duplications and truncations.</summary>
internal static class Mutator
{
    /// <summary>Applies one to three random mutations, favouring <paramref name="tokens"/> (such as separators, quotes or null) for insertions.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] original, Random random, IReadOnlyList<byte[]> tokens)
    {
        var bytes = new List<byte>(original);
        var description = new StringBuilder();
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    description.Append($"flip@{at} ");
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    description.Append($"set@{at} ");
                    break;
                case 2:
                    var token = tokens[random.Next(tokens.Count)];
                    bytes.InsertRange(at, token);
                    description.Append($"insert{token.Length}@{at} ");
                    break;
                case 3:
                    int count = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.RemoveRange(at, count);
                    description.Append($"delete{count}@{at} ");
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 64), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    description.Append($"duplicate{length}@{at} ");
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    description.Append($"truncate@{at} ");
                    break;
            }
        }

        return (bytes.ToArray(), description.ToString().TrimEnd());
    }

    /// <summary>Tokens given as text.</summary>
    public static IReadOnlyList<byte[]> Tokens(params string[] tokens) => tokens.Select(Encoding.UTF8.GetBytes).ToArray();
}
