namespace OllamaGateway.Usage.Ledger;

/// <summary>The usage ledger cannot be opened where <c>Gateway:Usage:Path</c> says: the gateway does not start.</summary>
public sealed class UsageLedgerException : Exception
{
    /// <summary>Creates the exception with a message naming the file and the problem.</summary>
    public UsageLedgerException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
