import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Places, random and hashed text, written once for every storage engine.
extension Hub {
    /// The province code of a commune (its first two digits are not the province: the catalogue says).
    package static func province(of commune: String) -> String {
        CommuneCatalogue.shared.commune(commune)?.provinceCode ?? ""
    }

    /// Lowercase hex of `bytes` random bytes from the system's secure generator.
    package static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
            .map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Lowercase hex SHA-256 of a text.
    package static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
