/*
 * The CPU feature record SubstrateVM's AMD64LibCHelper.CPUFeatures reads (one byte per feature, in the
 * order of its @CField accessors). Written for pgha's native build: GraalVM's own header is not served by
 * Maven Central, so the builder compiles against this one (deploy/local/native-builder).
 */
#ifndef PGHA_AMD64CPUFEATURES_H
#define PGHA_AMD64CPUFEATURES_H
#include <stdint.h>

#define PGHA_CPU_FEATURES(X) \
  X(fCX8) X(fCMOV) X(fFXSR) X(fHT) X(fMMX) X(fAMD_3DNOW_PREFETCH) X(fSSE) X(fSSE2) X(fSSE3) X(fSSSE3) \
  X(fSSE4A) X(fSSE4_1) X(fSSE4_2) X(fPOPCNT) X(fLZCNT) X(fTSC) X(fTSCINV) X(fTSCINV_BIT) X(fAVX) X(fAVX2) \
  X(fAES) X(fERMS) X(fCLMUL) X(fBMI1) X(fBMI2) X(fRTM) X(fADX) X(fAVX512F) X(fAVX512DQ) X(fAVX512PF) \
  X(fAVX512ER) X(fAVX512CD) X(fAVX512BW) X(fAVX512VL) X(fSHA) X(fFMA) X(fVZEROUPPER) X(fAVX512_VPOPCNTDQ) \
  X(fAVX512_VPCLMULQDQ) X(fAVX512_VAES) X(fAVX512_VNNI) X(fFLUSH) X(fFLUSHOPT) X(fCLWB) X(fAVX512_VBMI2) \
  X(fAVX512_VBMI) X(fHV) X(fSERIALIZE) X(fRDTSCP) X(fRDPID) X(fFSRM) X(fGFNI) X(fAVX512_BITALG) X(fPKU) \
  X(fOSPKE) X(fCET_IBT) X(fCET_SS) X(fF16C) X(fAVX512_IFMA) X(fAVX_IFMA) X(fAPX_F) X(fSHA512) \
  X(fAVX512_FP16) X(fAVX10_1) X(fAVX10_2)

#define PGHA_CPU_FIELD(name) uint8_t name;
typedef struct {
  PGHA_CPU_FEATURES(PGHA_CPU_FIELD)
} CPUFeatures;
#undef PGHA_CPU_FIELD

void determineCPUFeatures(CPUFeatures *features);
int checkCPUFeatures(uint8_t *buildtimeFeatures);
int checkCPUFeaturesOrExit(uint8_t *buildtimeFeatures, const char *errorMessage);
#endif
