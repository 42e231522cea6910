import FIXJournal
import TestSupport

/// Waits until the journal at `path`, which a running `wellhead serve` writes, satisfies
/// `condition` (a row committed there: an event, a message in or out).
func waitForJournal(_ path: String, timeout: Double = 30, _ condition: (Journal) throws -> Bool) -> Bool {
    guard let journal = try? Journal(path: path) else { return false }
    defer { journal.close() }
    return eventually(timeout: timeout) { (try? condition(journal)) ?? false }
}

/// Whether `journal` holds a message of `msgType` on the session named `session`
/// (`FIX.4.4:SENDER->TARGET`) in `direction` whose bytes contain every one of `fields`
/// (`11=WH00000001`).
func journaled(_ journal: Journal, session: String, _ direction: JournalDirection, msgType: String,
               with fields: [String] = []) throws -> Bool {
    try journal.messages().contains { record in
        guard record.session.name == session, record.direction == direction, record.msgType == msgType else { return false }
        let text = String(decoding: record.bytes, as: UTF8.self)
        return fields.allSatisfy { text.contains("\u{1}\($0)\u{1}") }
    }
}
