import Foundation

/// A fresh directory under the system's temporary folder, for tests that need real files.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "wellhead") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
