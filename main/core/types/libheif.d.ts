// libheif-js's WebAssembly bundle (the wasm inlined, no file read at run time). It ships a .d.ts for
// its generated Embind API, but not for this entry point; these are the calls Shoebox makes
// (main/core/media/heic.ts).
declare module 'libheif-js/libheif-wasm/libheif-bundle.js' {
  type Handle = { readonly __brand: 'handle' };
  type Context = { readonly __brand: 'context' };
  type Image = { readonly __brand: 'image' };
  /** Embind's enum values: one object per value, compared by identity. */
  type Enum = { readonly value: number };
  type HeifError = { code: Enum; message: string };
  /** A decoded plane, its data a view of the module's WebAssembly memory (valid until the image is released). */
  interface Channel {
    id: Enum;
    width: number;
    height: number;
    stride: number;
    data: Uint8Array;
  }
  export interface LibHeif {
    ready: Promise<void>;
    heif_context_alloc(): Context;
    heif_context_free(ctx: Context): void;
    heif_context_read_from_memory(ctx: Context, data: Uint8Array): HeifError;
    heif_js_context_get_primary_image_handle(ctx: Context): Handle | HeifError;
    heif_image_handle_get_width(h: Handle): number;
    heif_image_handle_get_height(h: Handle): number;
    heif_image_handle_has_alpha_channel(h: Handle): number;
    heif_image_handle_release(h: Handle): void;
    heif_js_decode_image2(h: Handle, colorspace: Enum, chroma: Enum): Promise<{ image: Image; channels: Channel[] } | HeifError | null>;
    heif_image_release(img: Image): void;
    heif_colorspace: { heif_colorspace_RGB: Enum };
    heif_chroma: { heif_chroma_interleaved_RGB: Enum; heif_chroma_interleaved_RGBA: Enum };
    heif_channel: { heif_channel_interleaved: Enum };
    heif_error_code: { heif_error_Ok: Enum };
  }
  const makeLibHeif: (options?: Record<string, unknown>) => LibHeif;
  export default makeLibHeif;
}
