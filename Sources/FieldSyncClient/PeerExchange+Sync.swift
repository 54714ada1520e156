import FieldStore
import Foundation
import OfflineBundle
import SyncProtocol
import TextSafety

extension PeerExchange {
    /// Syncs `store` with the laptop serving at `address` (`HOST:PORT`, `fieldsync peer serve`): hello, exchange, finish.
    /// The command line's `fieldsync peer sync` and the app's LAN button run this.
    /// - Throws: `PeerError.notReady` when the other laptop cannot be reached or refuses; any error of the exchange.
    public static func sync(_ store: FieldStore, with address: String) async throws -> Outcome {
        guard let base = URL(string: "http://\(address)"), base.host != nil, base.port != nil else {
            throw PeerError.notReady("give the other laptop's address as HOST:PORT, e.g. 192.168.1.20:7700")
        }
        // Checked first, so a laptop that cannot sync says why before it tries the network.
        _ = try PeerExchange.hello(store, nonce: "check")
        let transport = HTTPTransport(timeout: 120, compressing: false)
        let helloAnswer: HTTPAnswer
        do {
            helloAnswer = try await transport.send("GET", base.appendingPathComponent("peer/hello"), token: nil, body: nil)
        } catch SyncError.unreachable(_, let detail) {
            throw PeerError.notReady("cannot reach the other laptop at \(SafeText.terminal(address)) (\(SafeText.terminal(detail))): "
                + "check that both laptops are on the same network and that it runs `fieldsync peer serve`; nothing was exchanged")
        }
        guard helloAnswer.status == 200 else {
            throw PeerError.notReady("the other laptop answered \(helloAnswer.status): "
                + SafeText.quote(String(decoding: helloAnswer.body.prefix(300), as: UTF8.self), limit: 300))
        }
        let hello = try WireJSON.decode(PeerExchange.Hello.self, from: helloAnswer.body)
        let (file, peer, sent) = try PeerExchange.request(store, to: hello)
        let answer = try await transport.send("POST", base.appendingPathComponent("peer/exchange"), token: nil, body: file)
        guard answer.status == 200 else {
            throw PeerError.notReady("the other laptop refused: \(SafeText.quote(String(decoding: answer.body.prefix(300), as: UTF8.self), limit: 300))")
        }
        return try PeerExchange.finish(answer.body, from: peer, nonce: hello.nonce, sent: sent, into: store)
    }
}
