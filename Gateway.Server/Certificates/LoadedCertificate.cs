using System.Security.Cryptography.X509Certificates;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// A certificate with its private key, and the stamp (times and sizes) of the files it came from,
/// taken before they were read so that a change made while reading is seen on the next check.
/// </summary>
internal sealed record LoadedCertificate(X509Certificate2 Certificate, string FileStamp);
