/** @type {import('next').NextConfig} */
const nextConfig = {
  // Device reports are small; the console needs no image optimisation service or fonts from
  // the network.
  images: { unoptimized: true },
  poweredByHeader: false,
  // forbidden(): a page refused to the signed-in user's role answers 403 with app/forbidden.tsx.
  experimental: { authInterrupts: true },
};
export default nextConfig;
