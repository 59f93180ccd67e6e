using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// A self-signed certificate for 127.0.0.1, written as PEM files: what Azurite (OAuth needs TLS) and the
/// local Entra ID token endpoint serve, and, as <c>SSL_CERT_FILE</c>, the only root a <c>sluice serve</c>
/// process under test trusts. Clients of the test process trust it by thumbprint.
/// </summary>
public sealed class LoopbackTls
{
    public LoopbackTls(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificatePath = Path.Combine(directory, "loopback.crt.pem");
        KeyPath = Path.Combine(directory, "loopback.key.pem");
        File.WriteAllText(CertificatePath, created.ExportCertificatePem());
        File.WriteAllText(KeyPath, rsa.ExportPkcs8PrivateKeyPem());
        Certificate = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>The certificate with its key, for Kestrel.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>An HttpClient handler that trusts this certificate and nothing else.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString() },
    };
}
