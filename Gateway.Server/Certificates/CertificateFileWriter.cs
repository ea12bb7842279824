using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OllamaGateway.Server.Certificates;

/// <summary>
/// Writes a <see cref="CertificateFileSet"/>. Secrets (key, PFX, password) are created readable by their owner
/// only from the first byte, through <see cref="FileStreamOptions.UnixCreateMode"/>, never chmod-ed afterwards
/// (the seed left its key world-readable); each file is written beside its target and renamed over it, so a
/// reader such as <see cref="CertificateReloader"/> sees the old file or the new one, never half of one.
/// </summary>
internal static class CertificateFileWriter
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Bytes of randomness in the PFX password: 256 bits, written as 43 URL-safe base64 characters.</summary>
    private const int PasswordBytes = 32;

    /// <summary>The files of <paramref name="files"/> that already exist.</summary>
    public static IReadOnlyList<string> FindExisting(CertificateFileSet files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.All.Where(Path.Exists).ToList();
    }

    /// <summary>
    /// Writes the certificate, its key, and a PFX protected by a new random password. Unless
    /// <paramref name="overwrite"/> is set, an existing file is an <see cref="IOException"/> and nothing is written.
    /// </summary>
    public static void Write(X509Certificate2 certificate, CertificateFileSet files, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(files);
        var existing = FindExisting(files);
        if (!overwrite && existing.Count > 0)
        {
            throw new IOException($"Refusing to overwrite {string.Join(", ", existing)}.");
        }

        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));

        // Random bytes as base64url: no quotes, spaces or '$' to trip a shell in `--password "$(cat ...)"`.
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(PasswordBytes));
        var keyDer = key.ExportPkcs8PrivateKey();
        var keyPemChars = PemEncoding.Write("PRIVATE KEY", keyDer);
        var keyPem = new byte[keyPemChars.Length + 1];
        Encoding.ASCII.GetBytes(keyPemChars, keyPem);
        keyPem[^1] = (byte)'\n';
        var pfx = certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        var passwordBytes = Encoding.ASCII.GetBytes(password);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(files.CertificatePem))!);

            // Key before certificate: a reloader that looks in between sees a mismatch, keeps the old pair, and looks again.
            WriteAtomically(files.PfxPassword, passwordBytes, OwnerOnly, overwrite);
            WriteAtomically(files.Pfx, pfx, OwnerOnly, overwrite);
            WriteAtomically(files.KeyPem, keyPem, OwnerOnly, overwrite);
            WriteAtomically(files.CertificatePem, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"), Public, overwrite);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyDer);
            CryptographicOperations.ZeroMemory(keyPem);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyPemChars.AsSpan()));
            CryptographicOperations.ZeroMemory(pfx);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private static void WriteAtomically(string path, byte[] bytes, UnixFileMode mode, bool overwrite)
    {
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // Without overwrite the move fails if the file appeared since the check, rather than replacing it.
            File.Move(temporary, fullPath, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
