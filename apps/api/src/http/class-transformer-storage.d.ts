// class-transformer keeps @Type metadata in this module but ships no declaration for its path.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  const storage: { defaultMetadataStorage: MetadataStorage };
  export default storage;
}
