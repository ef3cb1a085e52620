// The standard library's `withUnsafe…` methods on Array rethrow untyped
// errors; these forward a typed error instead, so the library's functions can
// keep `throws(IOMMUFDError)`.

extension Array {
    /// `withUnsafeMutableBytes` with a typed error.
    @inline(__always)
    mutating func withMutableBytes<Result, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = withUnsafeMutableBytes { buffer in
            Swift.Result { () throws(Failure) in try body(buffer) }
        }
        return try outcome.get()
    }

    /// `withUnsafeMutableBufferPointer` with a typed error.
    @inline(__always)
    mutating func withMutableBuffer<Result, Failure: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = withUnsafeMutableBufferPointer { buffer in
            Swift.Result { () throws(Failure) in try body(buffer) }
        }
        return try outcome.get()
    }
}
