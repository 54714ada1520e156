import NIOConcurrencyHelpers
import NIOCore

/// Counts open connections per peer address and closes a new one beyond the limit, so one client
/// cannot take every file descriptor the hub has.
final class ConnectionLimiter: Sendable {
    private let open = NIOLockedValueBox<[String: Int]>([:])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// A handler for one new connection's pipeline.
    func handler() -> any RemovableChannelHandler { Handler(limiter: self) }

    fileprivate func opened(_ address: String) -> Bool {
        open.withLockedValue { counts in
            counts[address, default: 0] += 1
            return counts[address, default: 0] <= limit
        }
    }

    fileprivate func closed(_ address: String) {
        open.withLockedValue { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }

    /// Open connections of one address (for tests and logs).
    func count(_ address: String) -> Int { open.withLockedValue { $0[address] ?? 0 } }

    /// Registers its connection when added to the pipeline, forgets it when the connection goes.
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let limiter: ConnectionLimiter
        private var address: String?

        init(limiter: ConnectionLimiter) { self.limiter = limiter }

        func handlerAdded(context: ChannelHandlerContext) {
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            self.address = address
            if !limiter.opened(address) { context.close(promise: nil) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let address { limiter.closed(address) }
            address = nil
        }
    }
}
