/*
 * swift-iommufd: the CIOMMUFD module is header-only; this file makes SwiftPM
 * build it as a C target and compiles the layout assertions once more.
 */
#include "CIOMMUFD.h"
