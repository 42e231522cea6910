import FIXJournal
import Foundation
import OrderEntry
import RiskSidecar

/// A limit edit as the journal keeps it (kind `risk.limit`): the control, where, the value
/// before and after, whether it raised the limit, who made it and who approved it. A restart
/// makes every one again, in order, on top of the limits file (``RiskSidecar/restoreLimitEdits(from:)``).
public struct LimitEditRecord: Codable, Sendable, Hashable {
    public static let kind = "risk.limit"

    public var control: String
    /// `firm`, `account:DESK1`, `root:CL`, …
    public var scope: String
    /// The value the edit set (`nil`: it removed the limit), as ``LimitEdit/value``.
    public var value: String?
    public var old: String?
    public var new: String?
    public var raises: Bool
    /// `console:rita`, `os:ops`.
    public var by: String
    /// The second person, for a raise.
    public var approvedBy: String?
    public var reason: String?

    public init(_ result: LimitEditResult, by person: String, approvedBy: String?, reason: String?) {
        control = result.edit.control.rawValue
        scope = result.edit.scope.key
        value = result.edit.value
        old = result.old
        new = result.new
        raises = result.raises
        by = person
        self.approvedBy = approvedBy
        self.reason = reason
    }

    /// The edit it records, read back as a person's would be.
    public func edit() throws(LimitEditError) -> LimitEdit {
        try LimitEdit(control: control, scope: scope, value: value ?? "")
    }

    /// Its JSON, keys in a fixed order (what `JSONDecoder` reads back).
    public var json: String {
        var text = JSONText()
        text.object { record in
            record.field("control", control)
            record.field("scope", scope)
            record.field("value", value)
            record.field("old", old)
            record.field("new", new)
            record.field("raises", raises)
            record.field("by", by)
            record.field("approvedBy", approvedBy)
            record.field("reason", reason)
        }
        return text.text
    }
}

extension RiskSidecar {
    /// Makes again, oldest first, every limit edit journaled in `journal` (`risk.limit`) on
    /// top of the limits the sidecar was built with (the file): edits made from the console
    /// survive a restart. Returns how many.
    ///
    /// - Throws: the first record that cannot be read, or whose edit can no longer be made
    ///   (a root this profile no longer has), by its journal row id: the appliance does not
    ///   start on limits it would rebuild only in part.
    public func restoreLimitEdits(from journal: Journal) throws(GatewayRestoreError) -> Int {
        let events: [(id: Int64, kind: String, time: Int64, json: String)]
        do {
            events = try journal.events(kind: LimitEditRecord.kind)
        } catch {
            throw GatewayRestoreError(record: 0, kind: LimitEditRecord.kind, reason: "the journal cannot be read: \(error)")
        }
        return try restoreLimitEdits(events.map { GatewayRecord(id: $0.id, kind: $0.kind, json: $0.json, time: $0.time) })
    }

    /// ``restoreLimitEdits(from:)`` for records already read.
    public func restoreLimitEdits(_ records: [GatewayRecord]) throws(GatewayRestoreError) -> Int {
        let decoder = JSONDecoder()
        for record in records {
            let journaled: LimitEditRecord
            do {
                journaled = try decoder.decode(LimitEditRecord.self, from: Data(record.json.utf8))
            } catch {
                throw GatewayRestoreError(record: record.id, kind: record.kind, reason: "\(error)")
            }
            do {
                // It was approved when it was made, if it needed to be.
                try apply(try journaled.edit(), raising: true)
            } catch {
                throw GatewayRestoreError(record: record.id, kind: record.kind, reason: "the limit edit cannot be made again: \(error)")
            }
        }
        return records.count
    }
}
