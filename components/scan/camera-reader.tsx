'use client';

import { useEffect, useRef, useState } from 'react';

type Detector = { detect: (source: HTMLVideoElement) => Promise<{ rawValue: string }[]> };
type DetectorClass = new (options: { formats: string[] }) => Detector;

/** Frames a second we try to decode: enough for a ticket held up to the phone, light on a phone's battery. */
const FRAME_MS = 120;
/** The same code read again within this time is the same person still holding it up. */
const SAME_CODE_MS = 3_000;

/**
 * The camera: the phone's own BarcodeDetector where the browser has one (Chrome on Android), else jsQR, loaded only
 * when the camera starts (this component itself is loaded only on /scan, and only when asked for).
 */
export default function CameraReader({ onCode, paused }: { onCode: (code: string) => void; paused: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const pausedRef = useRef(paused);
  const onCodeRef = useRef(onCode);
  useEffect(() => {
    pausedRef.current = paused;
    onCodeRef.current = onCode;
  }, [paused, onCode]);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let last = { code: '', at: 0 };
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch {
        setProblem('The camera is not available (permission refused, or none on this device). Type the code below.');
        return;
      }
      if (stopped || !video.current) return stream.getTracks().forEach((t) => t.stop());
      video.current.srcObject = stream;
      await video.current.play().catch(() => {});
      const Native = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
      const native = Native ? new Native({ formats: ['qr_code'] }) : null;
      const jsQR = native ? null : (await import('jsqr')).default;

      const tick = async () => {
        if (stopped) return;
        const v = video.current;
        if (v && !pausedRef.current && v.readyState >= 2 && v.videoWidth > 0) {
          let text: string | null = null;
          if (native) {
            text = (await native.detect(v).catch(() => []))[0]?.rawValue ?? null;
          } else if (jsQR && context) {
            const scale = Math.min(1, 640 / v.videoWidth);
            canvas.width = Math.round(v.videoWidth * scale);
            canvas.height = Math.round(v.videoHeight * scale);
            context.drawImage(v, 0, 0, canvas.width, canvas.height);
            const image = context.getImageData(0, 0, canvas.width, canvas.height);
            text = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
          }
          const now = Date.now();
          if (text && (text !== last.code || now - last.at > SAME_CODE_MS)) {
            last = { code: text, at: now };
            onCodeRef.current(text);
          }
        }
        timer = setTimeout(() => void tick(), FRAME_MS);
      };
      void tick();
    })();

    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <div className="relative overflow-hidden rounded-xl bg-black">
      <video ref={video} className="aspect-square w-full object-cover" muted playsInline aria-label="Camera view" />
      <div className="pointer-events-none absolute inset-10 rounded-lg border-4 border-white/70" aria-hidden="true" />
      {problem ? <p className="absolute inset-x-0 bottom-0 bg-black/80 p-3 text-sm text-white">{problem}</p> : null}
    </div>
  );
}
