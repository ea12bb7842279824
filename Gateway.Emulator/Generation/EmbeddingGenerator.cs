using System.Text;

namespace OllamaGateway.Emulator.Generation;

/// <summary>
/// Deterministic vectors: component <c>i</c> is FNV-1a-64 (plus a splitmix64 finaliser) of (<c>i</c>, UTF-8 text) mapped to [-1, 1).
/// <c>/api/embed</c> L2-normalises them; the legacy <c>/api/embeddings</c> returns them raw.
/// </summary>
internal static class EmbeddingGenerator
{
    public static double[] Raw(string text, int dimensions)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var vector = new double[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in BitConverter.GetBytes(i).Concat(bytes))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            // splitmix64 finaliser: FNV alone barely changes the high bits when only the last byte differs.
            hash ^= hash >> 30;
            hash *= 0xbf58476d1ce4e5b9UL;
            hash ^= hash >> 27;
            hash *= 0x94d049bb133111ebUL;
            hash ^= hash >> 31;
            vector[i] = ((hash >> 11) / (double)(1UL << 53) * 2) - 1;
        }

        return vector;
    }

    public static float[] Normalized(string text, int dimensions, int? truncateTo)
    {
        var raw = Raw(text, dimensions);
        if (truncateTo is > 0 && truncateTo < raw.Length)
        {
            raw = raw[..truncateTo.Value];
        }

        var norm = Math.Sqrt(raw.Sum(v => v * v));
        return [.. raw.Select(v => norm == 0 ? 0f : (float)(v / norm))];
    }
}
