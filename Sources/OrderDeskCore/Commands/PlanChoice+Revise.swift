extension DeskCommand {
    /// A revision of this command for a ``PlanChoice``: a copy with one thing changed.
    func revision(_ change: @escaping @Sendable (inout Self, String) -> Void) -> @Sendable (String) -> Command {
        { [self] text in
            var revised = self
            change(&revised, text)
            return Command(revised)
        }
    }
}
