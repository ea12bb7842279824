namespace OllamaGateway.Json;

/// <summary>Why a JSON object key cannot be accepted.</summary>
internal enum KeyProblem
{
    /// <summary>No problem.</summary>
    None,

    /// <summary>The key repeats an earlier one (compared as Go folds keys).</summary>
    Duplicate,

    /// <summary>The key differs from a known field only in case: Go would fill that field from it.</summary>
    CaseVariant,
}
