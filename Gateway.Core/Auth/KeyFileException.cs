namespace OllamaGateway.Auth;

/// <summary>The keys file could not be read or is not valid. The message says where and why, never a key.</summary>
public sealed class KeyFileException : Exception
{
    /// <summary>Creates the exception with a message naming the file and the faulty place.</summary>
    public KeyFileException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
