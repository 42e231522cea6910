import Foundation
import Synchronization

// TEMPORARY measurement probe (hub branch): lines appended to $WELLHEAD_CONSOLE_PROBE.
public enum ConsoleProbe {
    static let handle: Mutex<FileHandle?> = Mutex({
        guard let path = ProcessInfo.processInfo.environment["WELLHEAD_CONSOLE_PROBE"] else { return nil }
        FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }())

    public static func log(_ line: String) {
        handle.withLock { $0?.write(Data((line + "\n").utf8)) }
    }

    public static func micros(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
    }
}
