// libFuzzer target: the store loader's snapshot reader (OrderDeskStore's SnapshotReader and codec).
//
// Any bytes as `snapshot.json`. Besides "never crashes", it checks:
// - a refusal names a position and a problem;
// - a snapshot that is accepted survives compaction: its state, written out again as a snapshot,
//   is read back, and a second round trip gives exactly the same bytes (nothing lost or changed
//   by rewriting, and the file written is never one the reader refuses);
// - the fast reader and the reference (Foundation's JSONDecoder over the Codable model) agree:
//   the same state, or the same refusal at the same position, for any bytes.
import Glibc
import OrderDeskCore

@testable import OrderDeskStore

nonisolated(unsafe) let codec = StoreCodec()
nonisolated(unsafe) let referenceCodec = StoreCodec(.reference)

/// The fast codec's reading of a document against the reference's.
func requireSameReading(_ bytes: [UInt8]) {
    let fast = Result { () throws(StoreCodec.Problem) in try codec.decodeSnapshot(bytes) }
    let reference = Result { () throws(StoreCodec.Problem) in try referenceCodec.decodeSnapshot(bytes) }
    switch (fast, reference) {
    case (.success(let a), .success(let b)):
        require(
            a.format == b.format && a.version == b.version && a.seq == b.seq
                && (try? referenceCodec.encodeSnapshot(a.state)) == (try? referenceCodec.encodeSnapshot(b.state)),
            "the fast reader reads a different snapshot from the reference")
    case (.failure(let a), .failure(let b)):
        require(a == b, "the fast reader refuses differently from the reference: \(a) / \(b)")
    case (.success, .failure(let b)):
        fail("the fast reader accepts what the reference refuses: \(b)")
    case (.failure(let a), .success):
        fail("the fast reader refuses what the reference accepts: \(a)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshot(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    requireSameReading(bytes)
    let snapshot: Snapshot
    do {
        snapshot = try SnapshotReader.check(bytes, file: "snapshot.json", codec: codec)
    } catch {
        require(!error.position.isEmpty && !error.problem.isEmpty, "a refusal without position or problem: \(error)")
        return 0
    }
    let state = snapshot.state
    let written: [UInt8]
    do {
        written = SnapshotReader.seal(try codec.encodeSnapshot(state))
    } catch {
        fail("an accepted snapshot cannot be written again: \(error)")
    }
    let reread: Snapshot
    do {
        reread = try SnapshotReader.check(written, file: "snapshot.json", codec: codec)
    } catch {
        fail(
            "a snapshot written from an accepted one is refused: \(error.position): \(error.problem)\n"
                + String(decoding: written, as: UTF8.self))
    }
    require(reread.seq == snapshot.seq && reread.orders.count == snapshot.orders.count, "the round trip lost data")
    let again = SnapshotReader.seal(try! codec.encodeSnapshot(reread.state))
    require(again == written, "writing the snapshot twice gives different bytes")
    return 0
}
