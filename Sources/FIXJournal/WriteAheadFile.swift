import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The journal's write-ahead log: append-only files beside the SQLite journal that each
/// turn's writes reach with one `write(2)` from the thread that made them, before anything they
/// caused is sent. SQLite is filled from them behind, on the journal's writer thread.
///
/// Bytes handed to `write(2)` are in the kernel's page cache when it returns: a process killed
/// at any instant after that (SIGKILL, a crash) loses none of them, and the next open replays
/// what SQLite had not yet applied. A power loss is another matter: at `JournalSync=full` the
/// journal does not use this log at all, and commits to SQLite with a sync before anything
/// is sent.
///
/// One process owns the log (an exclusive `flock(2)` on `<journal>-ahead.lock`): it appends,
/// replays and deletes. Any other opener of the journal reads SQLite as it stands and writes
/// SQLite directly.
///
/// The log is a run of segments, `<journal>-ahead.<n>`: a segment grows to ``segmentLimit``
/// bytes, the next is begun, and a segment is deleted once SQLite holds all of it.
///
/// Used only under the journal's queue lock once the journal is open (appends from the threads
/// that write, deletes from the writer thread): hence unchecked.
final class WriteAheadLog: @unchecked Sendable {
    let basePath: String
    private let lockDescriptor: Int32
    /// The segment appended to, and its number.
    private var current: WriteAheadFile
    private var currentNumber: Int
    /// The highest sequence number appended to the current segment.
    private var currentLast: UInt64 = 0
    /// Segments no longer appended to, oldest first, with their last sequence number.
    private var finished: [(number: Int, path: String, last: UInt64)] = []
    /// The next segment, opened ahead of need by the writer thread: an append that fills a
    /// segment moves on without opening a file.
    private var spare: WriteAheadFile?

    static let segmentLimit = 8 << 20

    /// Takes ownership of the log beside `journalPath`; `nil` when another open journal (in
    /// this process or another) owns it. `recover` gets every record left by the last owner,
    /// oldest first, and must put what SQLite lacks into it; the old segments are deleted after.
    init?(journalPath: String, recover: ([(lsn: UInt64, payload: ArraySlice<UInt8>, segment: String)]) throws(JournalError) -> Void)
        throws(JournalError) {
        basePath = journalPath + "-ahead"
        let lockPath = basePath + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JournalError(.cannotOpen, path: lockPath, "cannot open the write-ahead lock: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(fd)
            if reason == EWOULDBLOCK { return nil }
            throw JournalError(.cannotOpen, path: lockPath, "cannot lock the write-ahead log: \(String(cString: strerror(reason)))")
        }
        lockDescriptor = fd
        // What the last owner left, in segment order.
        let directory = (basePath as NSString).deletingLastPathComponent
        let prefix = (basePath as NSString).lastPathComponent + "."
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)
        } catch {
            close(fd)
            throw JournalError(.cannotOpen, path: directory, "cannot list the journal's folder for write-ahead segments: \(error)")
        }
        let left = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(prefix), let number = Int(name.dropFirst(prefix.count)) else { return nil }
            return (number, (directory as NSString).appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
        var records: [(lsn: UInt64, payload: ArraySlice<UInt8>, segment: String)] = []
        for (_, path) in left {
            let segment = try WriteAheadFile(path: path)
            for record in try segment.records() { records.append((record.lsn, record.payload, path)) }
        }
        do throws(JournalError) {
            try recover(records)
        } catch {
            close(fd)
            throw error
        }
        for (_, path) in left where unlink(path) != 0 && errno != ENOENT {
            close(fd)
            throw JournalError(.cannotOpen, path: path, "cannot delete a replayed write-ahead segment: \(String(cString: strerror(errno)))")
        }
        currentNumber = (left.last?.0 ?? 0) + 1
        do throws(JournalError) {
            current = try WriteAheadFile(path: "\(basePath).\(currentNumber)")
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(lockDescriptor) }

    /// Appends one record to the current segment, beginning the next one first when it is full.
    func append(lsn: UInt64, payload: [UInt8]) throws(JournalError) {
        if current.size >= Self.segmentLimit {
            let next: WriteAheadFile
            if let spare {
                next = spare
                self.spare = nil
            } else {
                next = try WriteAheadFile(path: "\(basePath).\(currentNumber + 1)")
            }
            finished.append((currentNumber, current.path, currentLast))
            current = next
            currentNumber += 1
        }
        try current.append(lsn: lsn, payload: payload)
        currentLast = lsn
    }

    /// SQLite holds every record through `lsn`: the segments wholly before it are taken off
    /// the log, and their paths returned for the caller to delete (outside any lock: freeing a
    /// file's pages takes a while, and appends must not wait for it).
    func applied(through lsn: UInt64) -> [String] {
        var done: [String] = []
        while let oldest = finished.first, oldest.last <= lsn {
            done.append(oldest.path)
            finished.removeFirst()
        }
        return done
    }

    /// The path of the next segment when none is open ahead yet, for the writer thread to open.
    var spareWanted: String? { spare == nil ? "\(basePath).\(currentNumber + 1)" : nil }

    /// Keeps `file`, opened from ``spareWanted``, as the next segment, unless an append has
    /// moved on meanwhile (then it is dropped: the path it names is the current segment's).
    func keep(spare file: WriteAheadFile) {
        if spare == nil && file.path == "\(basePath).\(currentNumber + 1)" { spare = file }
    }

    /// Deletes every segment: the journal is closing with all of them in SQLite.
    func removeAll() {
        for segment in finished { unlink(segment.path) }
        finished.removeAll()
        unlink(current.path)
        if let spare { unlink(spare.path) }
        spare = nil
    }
}

/// One segment of the write-ahead log.
///
/// Each record: magic `WHAL` (4 bytes), payload length (4), log sequence number (8), CRC-32 of
/// the sequence number and payload (4), then the payload, all little-endian. A record cut short
/// at the end of the file is one whose `write(2)` the kill interrupted: it was never
/// acknowledged, so nothing it held was sent, and it is dropped.
///
/// Used by one thread at a time: under the journal's queue lock once the log holds it.
final class WriteAheadFile: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    /// Bytes in the file.
    private(set) var size: Int

    static let magic: UInt32 = 0x4C41_4857 // "WHAL" read little-endian
    static let headerSize = 20

    init(path: String) throws(JournalError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JournalError(.cannotOpen, path: path, "cannot open the write-ahead file: \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        let end = lseek(fd, 0, SEEK_END)
        size = end > 0 ? Int(end) : 0
    }

    deinit { close(descriptor) }

    /// Appends one record: its header and payload in one `writev(2)` (more only if the kernel
    /// takes it in parts), on the caller's thread.
    func append(lsn: UInt64, payload: [UInt8]) throws(JournalError) {
        var crc = CRC32()
        Swift.withUnsafeBytes(of: lsn.littleEndian) { crc.update($0) }
        payload.withUnsafeBytes { crc.update($0) }
        // magic, length, lsn, crc: 20 bytes, little-endian.
        var header: (UInt32, UInt32, UInt64, UInt32) = (Self.magic.littleEndian, UInt32(payload.count).littleEndian,
                                                         lsn.littleEndian, crc.value.littleEndian)
        let total = Self.headerSize + payload.count
        let failure: Int32? = withUnsafeBytes(of: &header) { head in
            payload.withUnsafeBytes { body in
                var done = 0
                while done < total {
                    var parts: [iovec] = []
                    if done < Self.headerSize {
                        parts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress! + done),
                                           iov_len: Self.headerSize - done))
                    }
                    let bodyDone = max(0, done - Self.headerSize)
                    if body.count > bodyDone {
                        parts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress! + bodyDone),
                                           iov_len: body.count - bodyDone))
                    }
                    let written = writev(descriptor, parts, Int32(parts.count))
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    done += written
                }
                return nil
            }
        }
        if let failure {
            throw JournalError(.sqlite, path: path, "cannot append to the write-ahead file: \(String(cString: strerror(failure)))")
        }
        size += total
    }

    /// Every whole record in the file, in order. A record cut short at the end is dropped (its
    /// write was interrupted, so it was never acknowledged); a damaged record anywhere else is
    /// an error naming the file and its offset.
    func records() throws(JournalError) -> [(lsn: UInt64, payload: ArraySlice<UInt8>)] {
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { raw in pread(descriptor, raw.baseAddress, raw.count, 0) }
        guard read == size else {
            throw JournalError(.sqlite, path: path, "cannot read the write-ahead file: \(read < 0 ? String(cString: strerror(errno)) : "short read")")
        }
        var result: [(UInt64, ArraySlice<UInt8>)] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= Self.headerSize else { break }
            let magic = bytes.littleEndianUInt32(at: offset)
            let length = Int(bytes.littleEndianUInt32(at: offset + 4))
            let lsn = bytes.littleEndianUInt64(at: offset + 8)
            let stored = bytes.littleEndianUInt32(at: offset + 16)
            let start = offset + Self.headerSize
            guard magic == Self.magic else {
                throw JournalError(.sqlite, path: path, "write-ahead record at byte \(offset) is damaged (bad magic)")
            }
            guard bytes.count - start >= length else { break }
            var crc = CRC32()
            bytes.withUnsafeBytes { raw in
                crc.update(UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<(offset + 16)]))
                crc.update(UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)]))
            }
            guard crc.value == stored else {
                // The last record may be torn by the kill; one with records after it is damage.
                if start + length == bytes.count { break }
                throw JournalError(.sqlite, path: path, "write-ahead record \(lsn) at byte \(offset) is damaged (checksum)")
            }
            result.append((lsn, bytes[start..<(start + length)]))
            offset = start + length
        }
        return result
    }
}

/// CRC-32 (IEEE 802.3, reflected, as zlib's).
struct CRC32 {
    private(set) var state: UInt32 = 0xFFFF_FFFF

    var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// CRC-32 (ISO-HDLC, zlib's) eight bytes at a time ("slicing-by-8"): the same value as a
    /// byte at a time, at about a quarter of the cost; a turn's record is a few kilobytes, and
    /// the byte-at-a-time loop was most of the append's own time on the order path.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        let count = bytes.count
        var index = 0
        Self.tables.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let low = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ crc
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = t[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        state = crc
    }

    /// Table k gives the CRC of a byte followed by k zero bytes: `tables[0..<256]` is the
    /// classic byte-at-a-time table.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[index] = crc
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return tables
    }()
}

extension [UInt8] {
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    func littleEndianUInt32(at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(self[offset + index]) << (8 * index) }
        return value
    }

    func littleEndianUInt64(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(self[offset + index]) << (8 * index) }
        return value
    }
}
