/** The hand-written ONNX protobuf writer lives in native/onnx/builder.ts (doctor uses it too). */
export * from '../../../native/onnx/builder.js';
