// iommufd-bench: the swift-iommufd benchmark driver (see Docs/Benchmarks.md).
//
// Everything runs inside functions: a hot loop written as top-level code
// here would use global variables and measure 1.35× slower for no reason of
// the library's.
Driver.main()
