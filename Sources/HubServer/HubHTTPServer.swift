import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// How the hub's HTTP server is built: HTTP/1.1 with the idle timeout and the per-address connection
/// limit, wrapped in TLS when a certificate is given.
public enum HubHTTPServer {
    /// The server builder for `Application`.
    /// - Throws: NIOSSL's error when the certificate chain or key cannot be read.
    public static func builder(limits: ServerLimits, certificate: String?, key: String?) throws -> HTTPServerBuilder {
        let limiter = ConnectionLimiter(limit: limits.maxConnectionsPerAddress)
        let http = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [limiter.handler()], idleTimeout: .seconds(limits.idleSeconds)))
        guard let certificate, let key else { return http }
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        return try .tls(http, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey)))
    }
}
