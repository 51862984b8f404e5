/** @type {import('next').NextConfig} */
const nextConfig = {
  // Device reports are small; the console needs no image optimisation service or fonts from
  // the network.
  images: { unoptimized: true },
  poweredByHeader: false,
};
export default nextConfig;
