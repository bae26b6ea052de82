using SourceDiff.Verification.Tests.Programs;
using Xunit;
using Xunit.Abstractions;

namespace SourceDiff.Verification.Tests.Properties;

/// <summary>
/// Issue 8: random models (partial classes with parameter, <c>[State]</c>, layer and layer-array fields, a loss that
/// runs a stateful Step over a sequence) either are rejected with an SD0xxx diagnostic, or their <c>LossGradient</c>
/// matches central finite differences over every parameter and leaves the object as the primal does
/// (<see cref="ModelOracle"/>). The base property runs the base generator, or what <c>SOURCEDIFF_MODEL_FEATURES</c>
/// adds; each class of <see cref="ModelFeatures"/> also has a test of its own, skipped with the bug named while the
/// generator fails it (its minimal models are in <see cref="RegressionTests"/>).
/// </summary>
public sealed class ModelPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomModelsMatchFiniteDifferencesOrAreRejected()
    {
        int count = PropertySettings.Models;
        PropertyRunner.Check(output, Subject(PropertySettings.ModelFeatures), count, PropertySettings.Seed(PropertySettings.ModelsDefault, count));
    }

    /// <summary><c>Layers[l].Step(l == 0 ? x : Hs[l - 1], Hs[l])</c> and array <c>?:</c> in model code.</summary>
    [Fact]
    public void ModelsWithArrayConditionals() => Run(ModelFeatures.ArrayConditionals);

    [Fact]
    public void ModelsWithReadonlyFields() => Run(ModelFeatures.ReadonlyFields);

    [Fact]
    public void ModelsWithInheritedFields() => Run(ModelFeatures.InheritedFields);

    /// <summary>A <c>[DerivativeOf]</c> pullback that throws mid-sweep; the fields must still be what the primal leaves.</summary>
    [Fact]
    public void ModelsWithThrowingPullbacks() => Run(ModelFeatures.ThrowingPullbacks);

    public static PropertySubject<ModelSpec> Subject(ModelFeatures features) => new(
        features == ModelFeatures.None ? "Random models" : $"Random models ({features})",
        features == ModelFeatures.None ? ModelGenerator.Instance : new ModelGenerator(features),
        models => BatchVerifier.Run(models, ModelBatch.Instance),
        model => ModelPrinter.Print(model, 0),
        model => SpecCode.Of(model));

    private void Run(ModelFeatures features)
    {
        int count = PropertySettings.ClassModels;
        PropertyRunner.Check(output, Subject(features), count, PropertySettings.Seed(PropertySettings.ClassModelsDefault, count));
    }
}
