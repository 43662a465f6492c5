/* Only amd64 is built here, but SubstrateVM queries this record on every platform, so it must exist. */
#ifndef PGHA_RISCV64CPUFEATURES_H
#define PGHA_RISCV64CPUFEATURES_H
#include <stdint.h>
typedef struct {
  uint8_t fI;
  uint8_t fM;
  uint8_t fA;
  uint8_t fF;
  uint8_t fD;
  uint8_t fC;
  uint8_t fV;
} CPUFeatures;
#endif
