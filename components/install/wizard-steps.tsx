const STEPS = ["Software", "Devices", "Installation"] as const;

/** Where the install wizard is: software → devices → the Installation window. */
export function WizardSteps({ current }: { current: 1 | 2 | 3 }) {
  return (
    <ol className="wizard-steps" aria-label="Install wizard">
      {STEPS.map((step, i) => (
        <li key={step} aria-current={i + 1 === current ? "step" : undefined}>
          {i + 1}. {step}
        </li>
      ))}
    </ol>
  );
}
