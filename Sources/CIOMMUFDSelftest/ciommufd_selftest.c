/* swift-iommufd: makes SwiftPM build the header-only CIOMMUFDSelftest target. */
#include "ciommufd_selftest.h"
