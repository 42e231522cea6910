import Foundation

/// What `Tests/Interop/qf_soak.cpp`, an OMS under steady load, recorded: every request it sent
/// and every ExecutionReport and OrderCancelReject it received, by order (the ClOrdID of the
/// NewOrderSingle that began the order's chain of cancels and replaces).
public struct SoakRecord: Sendable {
    public struct Order: Sendable {
        /// The NewOrderSingle's ClOrdID.
        public let chain: String
        public let account: String
        /// 1 buy, 2 sell.
        public let side: String
        /// Every ClOrdID of the chain, the NewOrderSingle's first, in the order sent.
        public internal(set) var clOrdIDs: [String]
        /// ExecutionReports, as tag → value maps, in the order received.
        public internal(set) var reports: [[String: String]] = []
        public internal(set) var cancelRejects: [[String: String]] = []

        /// OrderID (37) the gateway gave the order, from its reports.
        public var orderID: String? { reports.lazy.compactMap { $0["37"] }.first { $0 != "NONE" } }

        /// The last OrdStatus (39) reported, as ``SoakRecord/category(ofOrdStatus:)`` names it
        /// (`nil`: no report at all).
        public var finalState: String? { reports.last.map { SoakRecord.category(ofOrdStatus: $0["39"] ?? "") } }

        /// CumQty (14) of the last report.
        public var cumQty: Int64 { Int64(reports.last?["14"] ?? "") ?? 0 }

        /// LeavesQty (151) of the last report.
        public var leavesQty: Int64 { Int64(reports.last?["151"] ?? "") ?? 0 }

        /// The fills reported (ExecType F), each once per ExecID, and the ExecIDs reported more
        /// than once.
        public var fills: (unique: [(execID: String, quantity: Int64)], repeated: [String]) {
            var seen: Set<String> = [], unique: [(String, Int64)] = [], repeated: [String] = []
            for report in reports where report["150"] == "F" {
                let execID = report["17"] ?? ""
                if seen.insert(execID).inserted {
                    unique.append((execID, Int64(report["32"] ?? "") ?? 0))
                } else {
                    repeated.append(execID)
                }
            }
            return (unique, repeated)
        }
    }

    /// By chain.
    public private(set) var orders: [String: Order] = [:]
    /// Chains in the order their NewOrderSingles were sent.
    public private(set) var chains: [String] = []
    /// Requests sent: NewOrderSingles, cancels, replaces.
    public private(set) var requests = 0
    /// Reports the OMS could not tie to an order it sent.
    public private(set) var strays: [String] = []

    public init(text: String) {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count >= 3, words[0] == "SEND" {
                requests += 1
                if words[1] == "D", words.count >= 5 {
                    orders[words[2]] = Order(chain: words[2], account: words[3], side: words[4], clOrdIDs: [words[2]])
                    chains.append(words[2])
                } else if words.count >= 5 {
                    orders[words[4]]?.clOrdIDs.append(words[2])
                }
            } else if words.count >= 3, words[0] == "RECV" {
                let fields = Self.fields(of: line)
                guard let chain = fields["order"], orders[chain] != nil else {
                    strays.append(String(line))
                    continue
                }
                if words[1] == "8" { orders[chain]!.reports.append(fields) } else { orders[chain]!.cancelRejects.append(fields) }
            }
        }
    }

    /// A RECV line's `tag=value` words; Text (58), which may hold spaces, comes last.
    static func fields(of line: Substring) -> [String: String] {
        let (head, text) = line.range(of: " 58=").map { (line[..<$0.lowerBound], String(line[$0.upperBound...])) } ?? (line, nil)
        var fields: [String: String] = [:]
        for word in head.split(separator: " ").dropFirst(2) {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        if let text { fields["58"] = text }
        return fields
    }

    /// An OrdStatus (39) as a final state: `filled`, `canceled` (expired too), `rejected`,
    /// `working` (new, partially filled, replaced), or `pending <status>` for a state that is
    /// not final (pending new, cancel or replace, or one not expected here).
    public static func category(ofOrdStatus status: String) -> String {
        switch status {
        case "2": "filled"
        case "4", "C": "canceled"
        case "8": "rejected"
        case "0", "1", "5": "working"
        default: "pending \(status)"
        }
    }
}
