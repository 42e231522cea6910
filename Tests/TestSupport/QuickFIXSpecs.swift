import Foundation

/// QuickFIX's own data dictionaries (FIX 4.0–5.0 SP2, FIXT 1.1), taken from the source
/// archive of the `quickfix` package on PyPI: an independent set of files that Wellhead's
/// loader must read unchanged. Fetched once into `.build/quickfix-spec` (not committed).
public enum QuickFIXSpecs {
    public static let version = "1.16.0"

    /// The folder holding `FIX40.xml` … `FIXT11.xml`, fetching it on first use.
    ///
    /// Tests run in parallel and several ask at once: one fetch runs at a time in this
    /// process, and the archive is unpacked into a folder of its own that is renamed into
    /// place whole, so no caller (here or in another process) reads a file still being written.
    public static func directory() throws -> URL {
        if let configured = ProcessInfo.processInfo.environment["WELLHEAD_QUICKFIX_SPEC"] {
            return URL(fileURLWithPath: configured)
        }
        fetchLock.lock()
        defer { fetchLock.unlock() }
        let cache = TestDictionaries.repositoryRoot.appendingPathComponent(".build/quickfix-spec")
        let folder = cache.appendingPathComponent("quickfix-\(version)")
        let spec = folder.appendingPathComponent("spec")
        if FileManager.default.fileExists(atPath: spec.appendingPathComponent("FIXT11.xml").path) { return spec }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let staging = "unpack-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0 ... .max))"
        // pip saves the source archive before it tries (and here fails) to prepare metadata,
        // so its exit status is not the test: the archive's presence is.
        let script = """
            cd '\(cache.path)' && \
            (ls quickfix-\(version).tar.gz >/dev/null 2>&1 || \
             python3 -m pip download --quiet --no-deps --no-binary :all: quickfix==\(version) -d . >/dev/null 2>&1 || true) && \
            mkdir '\(staging)' && tar xzf quickfix-\(version).tar.gz -C '\(staging)' quickfix-\(version)/spec && \
            rm -rf 'quickfix-\(version)' && mv '\(staging)/quickfix-\(version)' 'quickfix-\(version)' ; \
            status=$?; rm -rf '\(staging)'; exit $status
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              FileManager.default.fileExists(atPath: spec.appendingPathComponent("FIXT11.xml").path) else {
            throw SpecFetchError(message: "could not fetch QuickFIX \(version) dictionaries from PyPI into \(cache.path); "
                + "set WELLHEAD_QUICKFIX_SPEC to a folder holding QuickFIX's spec/*.xml")
        }
        return spec
    }

    private static let fetchLock = NSLock()

    public struct SpecFetchError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
