import ArgumentParser
import OrderDeskShell

/// `orderdesk import FILE`: bring real orders in from Shopify.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import Shopify's orders CSV export or Admin API JSON.",
        discussion: """
            All or nothing: a file with any problem imports nothing, and every problem is listed \
            with its CSV line or JSON path. Orders already in the store (same Id, or same Name when \
            the file has no Id) are skipped, so importing a file again changes nothing; what Shopify did \
            since to those orders (fulfilled, paid, refunded, cancelled there) comes in as an update, and a \
            change that contradicts the desk (cancelled or recreated here) is listed as a conflict \
            and left for an agent to settle; an order whose \
            Name the store has under another Id is a problem. SKUs new to the store start at stock 0 \
            unless --stock gives their levels.
            """)

    @Argument(help: ArgumentHelp("The export file: Orders → Export (CSV), or an Admin API orders response (JSON).", valueName: "FILE"))
    var file: String

    @Option(help: ArgumentHelp("shopify-csv or shopify-json (default: told from the content).", valueName: "FORMAT"))
    var format: String?

    @Option(
        help: ArgumentHelp("Shopify's inventory export (Handle, SKU, Available or On hand), for new SKUs' stock levels.", valueName: "FILE")
    )
    var stock: String?

    @Flag(help: "Report what would be imported; write nothing.") var dryRun = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if let format, !ImportRequest.formats.contains(format) {
            throw ValidationError("--format must be \(ImportRequest.formats.joined(separator: " or ")), not '\(format)'")
        }
    }

    func run() throws {
        let request = ImportRequest(file: file, format: format, stockFile: stock, dryRun: dryRun)
        throw ExitCode(Program.importOrders(request, options.program))
    }
}
