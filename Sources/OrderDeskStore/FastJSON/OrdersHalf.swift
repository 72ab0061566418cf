import Dispatch
import Glibc
import OrderDeskCore
import Synchronization

/// The second half of a snapshot's orders, read on another thread while the first half is read
/// as usual: loading a big store takes about half as long on two cores.
///
/// Where the second half begins is guessed, from the middle on: the first place where one order
/// ends and another begins as the store writes them (`},{"created_at":"…","currency":`). The
/// guess may be wrong (a refund inside an order also begins with `created_at`); it is trusted
/// only when the first half, read element by element, ends exactly there. Otherwise the second
/// half is dropped and the reading goes on as if there were none, so a wrong guess costs time,
/// never a different result. It reads until the list's `]`, and stops at anything it cannot read.
final class OrdersHalf: @unchecked Sendable {
    /// Where its first order begins.
    let begin: UnsafePointer<UInt8>
    /// The orders read, when it got to the end of the list.
    let orders = Pile<Order>()
    private let document: UnsafeBufferPointer<UInt8>
    /// Just after the list's `]`, once read; nil when it stopped on something it could not read.
    private var end: UnsafePointer<UInt8>?
    private let done = DispatchSemaphore(value: 0)
    private var joined = false
    /// How many second halves were taken, for tests.
    static let taken = Atomic<Int>(0)

    private init(begin: UnsafePointer<UInt8>, document: UnsafeBufferPointer<UInt8>) {
        self.begin = begin
        self.document = document
    }

    /// Starts reading from the first guessed order at or after `middle`, if there is one.
    static func start(in reader: FastReader, after middle: UnsafePointer<UInt8>) -> OrdersHalf? {
        guard let begin = guess(from: middle, to: reader.end) else { return nil }
        let half = OrdersHalf(begin: begin, document: UnsafeBufferPointer(start: reader.start, count: reader.end - reader.start))
        DispatchQueue.global(qos: .userInitiated).async { half.read() }
        return half
    }

    /// Waits for it to finish (once; after that at once) and returns where the list ended, or
    /// nil when it could not read to the end.
    @discardableResult
    func join() -> UnsafePointer<UInt8>? {
        if !joined {
            done.wait()
            joined = true
        }
        return end
    }

    private func read() {
        var decoder = FastStoreDecoder(document)
        decoder.r.p = begin
        decoder.r.strings = StringCache()
        do throws(FastBail) {
            repeat {
                orders.append(try decoder.order())
            } while try decoder.r.nextElement()
            end = decoder.r.p
        } catch {
            end = nil
        }
        done.signal()
    }

    /// `},{"created_at":"` + 20 bytes of time + `","currency":"`: where an order begins as the
    /// store writes an open order (a cancelled one begins with `cancel_reason`).
    private static let before = Array(#"},{"created_at":""#.utf8)
    private static let after = Array(#"","currency":""#.utf8)

    /// The `{` of the first guessed order at or after `from`, looking a few megabytes at most.
    static func guess(from: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        let limit = min(end, from + (4 << 20))
        let needed = before.count + 20 + after.count
        var p = from
        while limit - p >= needed {
            guard let hit = memchr(p, Int32(UInt8(ascii: "}")), limit - p - needed + 1) else { return nil }
            let q = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(q, before, before.count) == 0 && memcmp(q + before.count + 20, after, after.count) == 0 {
                return q + 2
            }
            p = q + 1
        }
        return nil
    }
}
