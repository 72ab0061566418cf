import ArgumentParser
import OrderDeskShell

/// `orderdesk import FILE`: bring real orders in from Shopify.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import Shopify's orders CSV export or Admin API JSON.")

    @Argument(help: ArgumentHelp("The export file.", valueName: "FILE")) var file: String
    @OptionGroup var options: StoreOptions

    func run() throws {
        FileHandleWriter.err("error: 'orderdesk import' is not available in this version yet")
        throw ExitCode(1)
    }
}
