/// <reference types="vite/client" />

/** The basemap's countries as a GeoJSON asset, cut to the region at build time (build/region-basemap.ts). */
declare module 'virtual:region-basemap' {
  const url: string;
  export default url;
}
