import ArgumentParser

@main
struct Wellhead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wellhead",
        abstract: "A FIX 4.4 trading gateway with an inline risk sidecar for oil futures desks.",
        subcommands: [DictionaryCommand.self, ServeCommand.self, CredentialsCommand.self, OrderCommand.self, RiskCommand.self, DayCommand.self,
                      VenueCommand.self, MarketDataCommand.self, SignalsCommand.self, UserCommand.self, AuditCommand.self]
    )
}
