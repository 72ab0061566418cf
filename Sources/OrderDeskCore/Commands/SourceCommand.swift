/// `source FILE`: a script run inside the shell, with batch rules.
public struct SourceCommand: DeskCommand {
    public static let spec = CommandSpec(
        "source", summary: "run a script file with batch rules",
        usage: "source FILE", examples: ["source morning.txt"], arguments: [.file])

    public var path: String

    public init(_ inv: Invocation) throws(OrderDeskError) {
        path = try inv.required(0, "a script file to run")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .source(path)
    }
}
