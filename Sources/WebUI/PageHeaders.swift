import Hummingbird
import NIOCore

/// How FieldSync's web pages are answered: HTML that cannot be framed, cached or sniffed, under a policy that
/// runs no inline style or script and loads nothing from another site.
public enum PageHeaders {
    /// The Content-Security-Policy of a page; `scripts` allows this server's own script files.
    public static func policy(scripts: Bool = false) -> String {
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            + (scripts ? "; script-src 'self'; connect-src 'self'" : "")
    }

    /// An HTML page.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok, scripts: Bool = false) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: policy(scripts: scripts),
            .xContentTypeOptions: "nosniff",
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A static file of this program (the stylesheet, a script), kept by the browser: its address carries its version.
    public static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type, .cacheControl: "public, max-age=31536000, immutable", .xContentTypeOptions: "nosniff",
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A short fingerprint of a file's text (FNV-1a), added to its address so a browser never keeps an old copy.
    public static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 36)
    }

    /// The stylesheet.
    public static func stylesheet() -> Response { asset(Stylesheet.css, type: "text/css; charset=utf-8") }
}
