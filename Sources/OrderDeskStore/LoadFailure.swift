/// Why a store could not be read.
enum LoadFailure: Error {
    /// There is no store here.
    case missing
    /// The store is damaged or too new: refuse it.
    case damage(StoreDamage)
    /// The operating system refused (permissions, I/O error).
    case system(SystemError)

    /// Runs a system call wrapper, reporting its failure as a load failure.
    static func wrap<T>(_ body: () throws(SystemError) -> T) throws(LoadFailure) -> T {
        do {
            return try body()
        } catch {
            throw LoadFailure.system(error)
        }
    }
}
