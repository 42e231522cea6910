import Foundation
import Instruments
import Testing
import TestSupport

/// `wellhead order`, `wellhead marketdata watch` and `wellhead risk status` as a trader, a
/// script and a risk manager use them against the running appliance: the binary itself, its
/// output and its exit status.
@Suite(.serialized) struct ClientCommandTests {
    /// Limits with no price collar (resting orders sit far from the market), a root's and a
    /// contract month's position limits, and a session's throttle.
    static func limits(month: String) -> String {
        """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 100}
          maxGrossNotional: 1_000_000_000
        accounts:
          DESK1:
            maxOrderSize: 200
        sessions:
          OMS1:
            orderRate: {limit: 50, window: 1s}
        roots:
          CL:
            maxPositionPerMonth: 40
        symbols:
          \(month):
            maxPositionPerMonth: 20
        """
    }

    static func appliance() throws -> ServedProfile {
        let month = ApplianceTests.frontMonth(on: Date()) ?? "CLF7"
        let appliance = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: Self.limits(month: month))
        }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        return appliance
    }

    /// `wellhead order` against the appliance. It returns as soon as the request settles; the
    /// long --wait is only a deadline for a machine busy with other tests' processes.
    static func order(_ appliance: ServedProfile, _ arguments: [String]) throws -> WellheadProcess.Result {
        try WellheadProcess.run(["order", "--port", "\(appliance.port)", "--symbol", appliance.symbol, "--wait", "30"] + arguments)
    }

    @Test func anOrderToAGatewayThatIsNotRunningFailsAtOnceNamingTheRefusedAddress() throws {
        let port = freePort()
        let started = Date()
        let result = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", "CLF7", "--price", "70.00", "--wait", "30"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot connect to 127.0.0.1:\(port): connection refused"), "\(result.standardError)")
        #expect(!result.standardOutput.contains("no final report"))
        #expect(Date().timeIntervalSince(started) < 15, "at once, not after --wait's 30 seconds")
    }

    @Test func exitStatusTellsAcceptedFromRejectedAndReportsNameTheirCodes() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        let resting = try Self.order(appliance, ["--quantity", "1", "--price", "1.00", "--tif", "gtc", "--cl-ord-id", "OK1"])
        #expect(resting.status == 0, "\(resting.standardOutput)\(resting.standardError)")
        #expect(resting.standardOutput.contains("ClOrdID=OK1 ExecType=PendingNew(A) OrdStatus=PendingNew(A)"), "\(resting.standardOutput)")
        #expect(resting.standardOutput.contains("ClOrdID=OK1 ExecType=New(0) OrdStatus=New(0)"), "\(resting.standardOutput)")

        let tooBig = try Self.order(appliance, ["--quantity", "250", "--price", "1.00", "--cl-ord-id", "BIG"])
        #expect(tooBig.status == 2, "\(tooBig.standardOutput)\(tooBig.standardError)")
        #expect(tooBig.standardOutput.contains("ClOrdID=BIG ExecType=Rejected(8) OrdStatus=Rejected(8)"), "\(tooBig.standardOutput)")
        #expect(tooBig.standardOutput.contains("OrdRejReason=OrderExceedsLimit(3)"), "\(tooBig.standardOutput)")

        let unknown = try Self.order(appliance, ["--action", "cancel", "--orig-cl-ord-id", "NOPE"])
        #expect(unknown.status == 2)
        #expect(unknown.standardOutput.contains("OrderCancelReject") && unknown.standardOutput.contains("CxlRejReason=UnknownOrder(1)"),
                "\(unknown.standardOutput)")

        let canceled = try Self.order(appliance, ["--action", "cancel", "--orig-cl-ord-id", "OK1"])
        #expect(canceled.status == 0, "\(canceled.standardOutput)\(canceled.standardError)")
        #expect(canceled.standardOutput.contains("ExecType=Canceled(4) OrdStatus=Canceled(4)"), "\(canceled.standardOutput)")

        let help = try WellheadProcess.run(["order", "--help"])
        #expect(help.standardOutput.contains("Exit status:") && help.standardOutput.contains("2  the request was rejected"),
                "\(help.standardOutput)")
    }

    @Test func aCancelLeavesTheDestinationOffWhereAReplaceAndANewOrderCarryIt() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        let placed = try Self.order(appliance, ["--price", "1.00", "--tif", "gtc", "--cl-ord-id", "D1", "--destination", "SIM"])
        #expect(placed.status == 0 && placed.standardOutput.contains("ClOrdID=D1 ExecType=New(0)"), "\(placed.standardOutput)")
        let replaced = try Self.order(appliance, ["--action", "replace", "--orig-cl-ord-id", "D1", "--cl-ord-id", "D2", "--quantity", "2",
                                                  "--price", "1.01", "--tif", "gtc", "--destination", "SIM"])
        #expect(replaced.status == 0 && replaced.standardOutput.contains("ClOrdID=D2 ExecType=Replaced(5)"), "\(replaced.standardOutput)")
        let canceled = try Self.order(appliance, ["--action", "cancel", "--orig-cl-ord-id", "D2", "--destination", "SIM"])
        #expect(canceled.status == 0, "\(canceled.standardOutput)\(canceled.standardError)")
        #expect(canceled.standardOutput.contains("ExecType=Canceled(4) OrdStatus=Canceled(4)"), "\(canceled.standardOutput)")
        #expect(!canceled.standardOutput.contains("Reject"), "no session Reject of the cancel: \(canceled.standardOutput)")
        #expect(canceled.standardError.contains("--destination SIM is left off the cancel"), "\(canceled.standardError)")
    }

    @Test func aWatchWithOneUnknownSymbolStreamsTheOthersAndNamesTheUnknownOne() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        let watch = try WellheadProcess.run(["marketdata", "watch", "--port", "\(appliance.port)", "--symbol", appliance.symbol,
                                             "--symbol", "ZZF7", "--seconds", "5"])
        let lines = watch.standardOutput.split(separator: "\n").map(String.init)
        #expect(watch.status == 0, "\(watch.standardError)")
        #expect(lines.contains { $0.hasPrefix("final \(appliance.symbol) bid ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("ZZF7 not subscribed: MarketDataRequestReject MDReqRejReason=0 (unknown symbol)") }, "\(lines)")
    }

    @Test func riskStatusPrintsUnitsAndWhereEachLimitIsSet() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        let month = appliance.symbol
        let resting = try Self.order(appliance, ["--quantity", "2", "--price", "1.00", "--tif", "gtc"])
        #expect(resting.status == 0, "\(resting.standardOutput)\(resting.standardError)")
        let status = try WellheadProcess.run(["risk", "status", "--config", appliance.config])
        #expect(status.status == 0, "\(status.standardError)")
        let lines = status.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("position per month of account DESK1 \(month): 2 of 40 contracts (limit of root CL, for each contract month)") },
                "\(lines)")
        #expect(lines.contains { $0.hasSuffix("position per month of account DESK1 \(month): 2 of 20 contracts (limit of contract month \(month))") },
                "\(lines)")
        #expect(lines.contains { $0.contains("gross notional of firm: ") && $0.hasSuffix(" USD (firm limit)") }, "\(lines)")
        #expect(lines.contains { $0.contains("order rate of session OMS1 per 1s: ") && $0.hasSuffix(" of 50 orders/s (limit of session OMS1)") },
                "\(lines)")
    }
}
