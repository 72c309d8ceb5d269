// Node has WebAssembly, but @types/node 20 leaves its types to lib.dom, which main/ and native/
// do not load (tsconfig.node.json: Node types only). Only what main/ uses is declared here.
declare namespace WebAssembly {
  interface Module {
    readonly __brand?: 'WebAssembly.Module';
  }
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
}

// WebCrypto's global type names (lib.dom); Node's objects are these (node:crypto's webcrypto).
type Crypto = import('node:crypto').webcrypto.Crypto;
type CryptoKeyPair = import('node:crypto').webcrypto.CryptoKeyPair;
