// Node has WebAssembly, but @types/node 20 leaves its types to lib.dom, which main/ and native/
// do not load (tsconfig.node.json: Node types only). Only what main/ uses is declared here.
declare namespace WebAssembly {
  interface Module {
    readonly __brand?: 'WebAssembly.Module';
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}
